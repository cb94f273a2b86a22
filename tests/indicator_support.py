"""What the indicator tests share: look-ups by code and name, and an import through the forms."""

import io

from sqlmodel import select

from tests.html_forms import rendered_form
from tracker.indicators.services import outcomes
from tracker.models import Indicator, Unit


def indicator_of(session, code: str) -> Indicator:
    """Return the indicator of a code."""
    return session.exec(select(Indicator).where(Indicator.code == code)).one()


def unit_of(session, name: str) -> Unit:
    """Return the unit of a name."""
    return session.exec(select(Unit).where(Unit.name == name)).one()


def telephone_indicator(session) -> Indicator:
    """Create the telephone access indicator (TEL), with its target of 95 %."""
    return outcomes.create_indicator(
        session,
        values={
            "code": "TEL",
            "name": "Telefontillgänglighet",
            "perspective": "citizens",
            "target_value": 95,
        },
    )


def upload_outcomes(client, name: str, data: bytes):
    """Upload a file of outcomes to the import page; the answer is its preview."""
    return client.submit(
        "/indicators/import",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm_import(client, preview: str):
    """Send the confirm form the preview page rendered."""
    form = rendered_form(preview, "/indicators/import/confirm")
    return client.post(form.action, data=form.data())


def import_outcomes(client, name: str, data: bytes):
    """Upload a file of outcomes and confirm its preview, as a secretary does."""
    return confirm_import(client, upload_outcomes(client, name, data).get_data(as_text=True))
