"""Reminder mails: subject, reasons, links and the rendered text and HTML."""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from tracker import dates
from tracker.reminders.services.due import Digest, Due
from tracker.reminders.services.items import Item
from tracker.reminders.services.windows import kind_label

# Where a reminder's link leads: the form that answers the item, or its page.
ANSWER = {
    "measure": ("measures.update", "measure_id"),
    "recommendation": ("recommendations.update", "recommendation_id"),
    "source": ("sources.detail", "source_id"),
    "meeting": ("meetings.detail", "meeting_id"),
    "response": ("responses.edit", "response_id"),
    "response_input": ("responses.edit", "response_id"),
}
DETAIL = {
    "measure": ("measures.detail", "measure_id"),
    "recommendation": ("recommendations.detail", "recommendation_id"),
    "source": ("sources.detail", "source_id"),
    "meeting": ("meetings.detail", "meeting_id"),
    "response": ("responses.detail", "response_id"),
    "response_input": ("responses.detail", "response_id"),
}


def link(endpoint: str, **values) -> str:
    """Return an absolute URL under TRACKER_BASE_URL, outside any request."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def answer_link(due: Due) -> str:
    """Return the link that answers a reminder: without a password when the installation
    allows it and the reminder is the owner's own, else the form behind the sign-in."""
    item = due.item
    if not (
        current_app.config["ANSWER_LINKS"]
        and due.role == "owner"
        and item.type in ("measure", "recommendation")
    ):
        return item_link(item, answer=due.role == "owner")
    from tracker import db
    from tracker.answers.services import new_link

    with db.session_scope() as session:
        token = new_link(
            session, due.recipient, item_type=item.type, item_id=item.id, deadline=due.deadline
        )
    return link("answers.answer", token=token)


def item_link(item: Item, *, answer: bool) -> str:
    """Return the link to the form that answers an item, or to its page."""
    endpoint, name = (ANSWER if answer else DETAIL)[item.type]
    return link(endpoint, **{name: item.id})


def _in_sentence(name: str) -> str:
    # Swedish writes a body's name in lower case inside a sentence ("till regionstyrelsen").
    if str(get_locale()).startswith("sv") and name[:2] != name[:2].upper():
        return name[:1].lower() + name[1:]
    return name


def what_is_due(item: Item) -> str:
    """Say in a few words what is due, in the current language."""
    if item.type == "measure":
        title = item.title if len(item.title) <= 80 else item.title[:79] + "…"
        return _("the measure “%(title)s”", title=title)
    if item.type == "meeting":
        return _(
            "papers for the meeting of %(body)s on %(date)s",
            body=_in_sentence(item.body_name),
            date=dates.format_date(item.meeting_on),
        )
    if item.type == "response":
        return _("response to the auditors on “%(title)s”", title=item.title)
    if item.type == "response_input":
        return _("input to the response on “%(title)s”", title=item.title)
    if item.body_name:
        return _("report-back to %(body)s", body=_in_sentence(item.body_name))
    return _("report-back")


def subject_of(due: Due) -> str:
    """Return a mail's subject: what is due and when, and for whom when a deputy gets it."""
    subject = _subject(due)
    if due.standing_in_for:
        return _("%(subject)s (for %(name)s)", subject=subject, name=due.standing_in_for)
    return subject


def _subject(due: Due) -> str:
    day = dates.format_date(due.deadline)
    if due.item is None:
        return _("Your deadlines, week of %(date)s", date=day)
    what = what_is_due(due.item)
    if due.role in ("manager", "secretary"):
        return _("Escalation: %(what)s overdue since %(date)s", what=what, date=day)
    if due.offset > 0:
        return _("Overdue: %(what)s was due %(date)s", what=what, date=day)
    # A response's deadlines are named as the region names them, first in the subject.
    if due.item.type == "response":
        return _("Response to the auditors by %(date)s: %(title)s", date=day, title=due.item.title)
    if due.item.type == "response_input":
        return _("Input to the response by %(date)s: %(title)s", date=day, title=due.item.title)
    if due.item.type == "recommendation" and due.item.body_name:
        return _(
            "Report-back to %(body)s by %(date)s: %(title)s",
            body=_in_sentence(due.item.body_name),
            date=day,
            title=due.item.title,
        )
    return _("Reminder: %(what)s by %(date)s", what=what, date=day)


def why_you(due: Due) -> str:
    """Say truthfully why the recipient gets this mail."""
    if due.standing_in_for:
        return _(
            "You get this as deputy for %(name)s, who is away until %(date)s.",
            name=due.standing_in_for,
            date=dates.format_date(due.away_until),
        )
    if due.item is None:
        return ""
    if due.role == "manager":
        return _(
            "You get this because you are the manager of %(unit)s, the unit of %(person)s, "
            "who is responsible.",
            unit=due.unit_name,
            person=due.about,
        )
    if due.role == "secretary":
        return _(
            "You get this as secretary of %(body)s, because you asked for copies of escalations.",
            body=due.item.body_name,
        )
    if due.item.type == "response" and due.item.to_secretaries:
        return _(
            "You get this as secretary of %(body)s, because nobody is named to draft this "
            "response yet. Name a drafter in the response and the reminders go to them.",
            body=due.item.body_name,
        )
    if due.item.type == "response":
        return _("You get this because you are responsible for drafting this response.")
    if due.item.type == "response_input":
        return _("You get this because you are the contact for the input to this response.")
    if due.item.type == "measure":
        return _("You get this because you are the owner of this measure.")
    if due.item.type == "meeting":
        return _("You get this because you are responsible for the items above.")
    return _("You get this because you are responsible for the item above.")


def _template(due: Due) -> str:
    if due.item is None:
        return "digest"
    if due.role in ("manager", "secretary"):
        return "escalation"
    return "paper_deadline" if due.item.type == "meeting" else "reminder"


@dataclass
class Mail:
    subject: str
    text: str
    html: str


def _render(due: Due) -> Mail:
    """Render a reminder in the language in force."""
    subject = subject_of(due)
    context = {
        "subject": subject,
        "due": due,
        "item": due.item,
        "recipient": due.recipient,
        "deadline": dates.format_date(due.deadline),
        "days": abs(due.offset),
        "kind_label": kind_label(due.kind),
        "what": what_is_due(due.item) if due.item else "",
        "link": answer_link(due) if due.item else "",
        "papers": [
            (text, link("recommendations.update", recommendation_id=id_))
            for id_, text in due.papers
        ],
        "sections": _digest_sections(due.digest) if due.digest else [],
        "settings_link": link("auth.settings"),
        "why": why_you(due),
    }
    name = _template(due)
    text = render_template(f"email/{name}.txt", **context)
    html = render_template(f"email/{name}.html", **context)
    return Mail(subject, text, html)


def _language(due: Due) -> str:
    return due.recipient.language or current_app.config["BABEL_DEFAULT_LOCALE"]


def in_each_language(dues: list[Due], make) -> list:
    """Return make(due) for each due in its recipient's language, switching language once each."""
    results: list = [None] * len(dues)
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, due in enumerate(dues):
        by_language[_language(due)].append(index)
    for language, indexes in by_language.items():
        with force_locale(language):
            for index in indexes:
                results[index] = make(dues[index])
    return results


def subjects_in_language(dues: list[Due]) -> list[str]:
    """Return the mails' subjects, each in its recipient's language."""
    return in_each_language(dues, subject_of)


def _digest_text(item: Item) -> str:
    """Name an item in a digest in its deadline's own words, each addressee's for a report's."""
    # A measure's "what" names it already; other items need their title.
    if item.type == "measure":
        return what_is_due(item)
    if item.type == "recommendation" and item.deadline is None and item.answers_due:
        answers = "; ".join(
            _(
                "response to the auditors from %(body)s by %(date)s",
                body=_in_sentence(body),
                date=dates.format_date(due) if due else "–",
            )
            for body, due in item.answers_due
        )
        return f"{item.title}: {answers}"
    return f"{item.title}: {what_is_due(item)}"


def _digest_sections(digest: Digest) -> list[tuple[str, list[dict]]]:
    sections = [
        (_("Overdue"), digest.overdue),
        (_("Due soon"), digest.due_soon),
        (_("Open, due later or without a deadline"), digest.later),
    ]
    return [
        (
            heading,
            [
                {
                    "text": _digest_text(item),
                    "deadline": dates.format_date(item.deadline),
                    "link": item_link(item, answer=True),
                }
                for item in items
            ],
        )
        for heading, items in sections
        if items
    ]
