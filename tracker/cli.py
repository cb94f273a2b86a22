"""The flask commands: the ones README's table of commands lists."""

import os
import secrets

import click
from flask import Flask, current_app

from tracker.config import ROOT
from tracker.db import engine, session_scope
from tracker.models import Role


def alembic_config():
    """Return an Alembic config for the app's database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", current_app.config["DATABASE_URL"])
    return config


def run_migrations() -> None:
    """Bring the database schema up to the newest migration."""
    from alembic import command

    config = alembic_config()
    with engine().begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_revision() -> str | None:
    """Return the database's migration revision; None for a database without the schema."""
    from alembic.runtime.migration import MigrationContext

    with engine().connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def init_app(app: Flask) -> None:
    """Register the commands."""
    from tracker import first_start

    first_start.init_app(app)

    @app.cli.command("migrate")
    def migrate():
        """Run the database migrations."""
        before = schema_revision()
        run_migrations()
        after = schema_revision()
        if before is None:
            click.echo(f"created the database schema (revision {after})")
        elif before != after:
            click.echo(f"upgraded the database schema from revision {before} to {after}")
        else:
            click.echo(f"the database schema is up to date (revision {after})")

    @app.cli.command("seed")
    @click.option("--folder", default=str(ROOT / "seed"), show_default=True)
    def seed(folder):
        """Load the seed data from the source documents; running it twice changes nothing."""
        from pathlib import Path

        from tracker.seed import all_seed_counts, load_all

        with session_scope() as session:
            before = all_seed_counts(session)
            counts = load_all(session, Path(folder))
        for table, count in counts.items():
            found = before.get(table, 0)
            click.echo(f"{table}: {count - found} created, {found} already there")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True)
    @click.option("--role", required=True, type=click.Choice([str(role) for role in Role]))
    @click.option("--unit", default=None, help="The unit's name.")
    @click.option(
        "--random-password",
        is_flag=True,
        help="Make a random password and print it once (for the demo administrator).",
    )
    @click.option("--if-missing", is_flag=True, help="Do nothing if the e-mail exists.")
    def create_user_command(email, name, role, unit, random_password, if_missing):
        """Create a user; the password comes from TRACKER_NEW_PASSWORD or a prompt."""
        from sqlmodel import select

        from tracker.auth.services import create_user
        from tracker.models import Unit, User

        with session_scope() as session:
            if session.exec(select(User).where(User.email == email.strip().lower())).first():
                if if_missing:
                    click.echo(f"{email} exists already")
                    return
                raise click.ClickException(f"a user with the e-mail {email} already exists")
            unit_id = None
            if unit:
                found = session.exec(select(Unit).where(Unit.name == unit)).first()
                if found is None:
                    raise click.ClickException(f"no unit named {unit!r}")
                unit_id = found.id
            if random_password:
                password = secrets.token_urlsafe(12)
            else:
                password = os.environ.get("TRACKER_NEW_PASSWORD") or click.prompt(
                    "Password", hide_input=True, confirmation_prompt=True
                )
            if len(password) < 10:
                raise click.ClickException("the password must have at least 10 characters")
            create_user(
                session, email=email, name=name, role=role, password=password, unit_id=unit_id
            )
        click.echo(f"created {role} {email}")
        if random_password:
            click.echo(f"password (shown once): {password}")

    @app.cli.command("set-password")
    @click.argument("email")
    def set_password(email):
        """Give a user a new password (TRACKER_NEW_PASSWORD or a prompt); end their sign-ins."""
        from flask_babel import force_locale
        from sqlmodel import select

        from tracker.auth.services import end_sessions, hash_password, password_problem
        from tracker.models import User

        with session_scope() as session:
            user = session.exec(select(User).where(User.email == email.strip().lower())).first()
            if user is None:
                raise click.ClickException(f"no user with the e-mail {email}")
            password = os.environ.get("TRACKER_NEW_PASSWORD") or click.prompt(
                "New password", hide_input=True, confirmation_prompt=True
            )
            problem = password_problem(password, email=user.email, name=user.name)
            if problem:
                # The commands speak English, as their other messages do.
                with force_locale("en"):
                    raise click.ClickException(str(problem))
            user.password_hash = hash_password(password)
            session.flush()
            end_sessions(session, user)
        click.echo(f"new password set for {user.email}; their other sign-ins are ended")

    @app.cli.command("clean-text")
    def clean_text_command():
        """Remove control characters from text stored before they were refused."""
        from tracker.text import clean_stored_text

        with session_scope() as session:
            counts = clean_stored_text(session)
        for table, count in counts.items():
            click.echo(f"{table}: {count} rows cleaned")
        click.echo(f"{sum(counts.values())} rows cleaned in all")

    @app.cli.command("remind")
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Run as if it were noon of this day (YYYY-MM-DD).",
    )
    @click.option("--dry-run", is_flag=True, help="Only print what would be sent.")
    def remind(today, dry_run):
        """Do one reminder run and print what it sent, or would send."""
        from tracker.reminders.services.run import reminder_run
        from tracker.reminders.services.settings import moment_of

        try:
            result = reminder_run(now=today and moment_of(today.date()), dry_run=dry_run)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        for outcome in result.outcomes:
            click.echo(outcome.line())
        if dry_run:
            click.echo(f"{len(result.outcomes)} would be sent")
            for line in result.held_lines():
                click.echo(line)
        else:
            click.echo(result.summary())

    @app.cli.command("demo-data")
    @click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0)
    @click.option("--seed", type=int, default=1, show_default=True)
    @click.option("--password", envvar="TRACKER_DEMO_PASSWORD", default=None)
    def demo_data(scale, seed, password):
        """Fill an empty database with synthetic data; scale 1 is a large region's ten years."""
        from tracker.demo.commands import run_demo_data

        run_demo_data(scale=scale, seed=seed, password=password)

    @app.cli.command("scheduler")
    def scheduler():
        """Run the reminder scheduler: one active per database, a second one waits."""
        from tracker.reminders.scheduler import run_scheduler

        try:
            status = run_scheduler(current_app._get_current_object())
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        raise SystemExit(status)
