"""Files written whole or not at all: a temporary file beside the target, then os.replace."""

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write data to path so that readers see the old file or the whole new one, never a part.

    On any failure (a full disk, a folder turned read-only) the temporary file is removed and
    the error raised: nothing half-written is left behind.
    """
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            # On the disk before the rename: a power cut leaves the old file, not an empty one.
            os.fsync(file.fileno())
        os.chmod(partial, mode)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
