"""The `flask demo-data` command: a progress bar around tracker.demo.services.build."""

import click
from tqdm import tqdm

from tracker.auth.services import hash_password
from tracker.dates import today
from tracker.db import session_scope
from tracker.demo.services import NotEmpty, build


def run_demo_data(*, scale: float, seed: int, password: str | None) -> None:
    """Build the demo data and print what was made and who can sign in."""
    if password is not None and len(password) < 10:
        raise click.ClickException("the password must have at least 10 characters")
    # One hash for every demo user: hashing 2,000 passwords would take minutes.
    password_hash = hash_password(password) if password else None
    with tqdm(total=0, unit=" rows", unit_scale=True, desc="demo data") as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            with session_scope() as session:
                built = build(
                    session.connection(),
                    scale=scale,
                    seed=seed,
                    today=today(),
                    password_hash=password_hash,
                    progress=progress,
                )
        except NotEmpty as error:
            raise click.ClickException(f"{error}: demo data goes into an empty database") from None
    for table, count in built.counts.items():
        click.echo(f"{table}: {count}")
    if password:
        click.echo(f"sign in as {built.secretary}, {built.busy_owner} or {built.admin}")
    else:
        click.echo("no password given (TRACKER_DEMO_PASSWORD): the demo users cannot sign in")
