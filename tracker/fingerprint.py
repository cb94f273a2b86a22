"""The fingerprint of a kept record: a kept list, an adopted response, whatever froze it."""

import hashlib
import json


def fingerprint_of(snapshot: dict) -> str:
    """Return the SHA-256 of a snapshot's canonical JSON."""
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
