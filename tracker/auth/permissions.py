"""What each role may do: the actions, the one table of rules, and the one permission check."""

from dataclasses import dataclass
from enum import StrEnum

from flask import abort, g
from flask_login import current_user

from tracker.auth.scope import in_scope
from tracker.models import ApiToken, Measure, Recommendation, Response, Role, User


class Action(StrEnum):
    """Everything a permission is asked for; can() refuses a name that is not here."""

    READ = "read"
    # The start page's figures over everything; owners see their own items only.
    SEE_OVERVIEW = "see_overview"
    # Users, units and the reminder ledger.
    ADMIN = "admin"
    RENEW_FEED = "renew_feed"
    EDIT_SOURCE = "edit_source"
    EDIT_RECOMMENDATION = "edit_recommendation"
    EDIT_MEETING = "edit_meeting"
    CREATE_MEASURE = "create_measure"
    EDIT_MEASURE = "edit_measure"
    # On an item, or with none named: whether the role posts status updates at all.
    POST_UPDATE = "post_update"
    # Indicators, their outcomes (by form or import) and their threshold rules.
    EDIT_INDICATOR = "edit_indicator"
    # Keeping the record of what a board saw, and recording what it decided.
    KEEP_FOLLOWUP_LIST = "keep_followup_list"
    CLOSE_ITEMS = "close_items"
    # The one-click "reported" an item suggests when its measures are all done.
    MARK_REPORTED = "mark_reported"
    # A personal API token: its user's own, or anyone's for an administrator.
    REVOKE_TOKEN = "revoke_token"
    # A body's answer to the auditors: drafting it, adopting it, and the auditors' follow-up.
    DRAFT_RESPONSE = "draft_response"
    ADOPT_RESPONSE = "adopt_response"
    RECORD_FINDINGS = "record_findings"
    # The board's grade of how far an item was implemented, and its priority mark; the
    # auditors' grade and priority go with RECORD_FINDINGS.
    GRADE_ITEMS = "grade_items"
    # Posting an owner's update "på uppdrag av" them, as the secretaries do for a phone call.
    POST_ON_BEHALF = "post_on_behalf"
    # Marking what OSL keeps secret, or what holds personal data, out of the public register.
    MARK_SECRECY = "mark_secrecy"


@dataclass(frozen=True)
class Rule:
    """The roles that may do an action on anything, and those that may on what is theirs."""

    roles: frozenset[Role]
    on_their_own: frozenset[Role] = frozenset()
    # Roles that may do it only on rows of their own bodies (a secretary of given bodies).
    scoped: frozenset[Role] = frozenset()
    # Asked with no target, whether a role allowed on its own may: it has rows of its own.
    own_without_target: bool = False


EVERYONE = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.SECRETARY})
BODY = frozenset({Role.SECRETARY})

RULES: dict[Action, Rule] = {
    Action.READ: Rule(EVERYONE),
    # The elected members' overview counts only their bodies' items (tracker/auth/visibility.py).
    Action.SEE_OVERVIEW: Rule(EDITORS | {Role.VIEWER, Role.ELECTED, Role.AUDITOR}),
    Action.ADMIN: Rule(frozenset({Role.ADMIN})),
    Action.RENEW_FEED: Rule(frozenset(), on_their_own=EVERYONE),
    Action.EDIT_SOURCE: Rule(EDITORS, scoped=BODY),
    Action.EDIT_RECOMMENDATION: Rule(EDITORS, scoped=BODY),
    Action.EDIT_MEETING: Rule(EDITORS, scoped=BODY),
    # A new measure's bodies are those of the items it answers (tracker/measures/choices.py).
    Action.CREATE_MEASURE: Rule(EDITORS, scoped=BODY),
    Action.EDIT_MEASURE: Rule(EDITORS, on_their_own=frozenset({Role.OWNER}), scoped=BODY),
    Action.POST_UPDATE: Rule(
        EDITORS, on_their_own=frozenset({Role.OWNER}), scoped=BODY, own_without_target=True
    ),
    Action.EDIT_INDICATOR: Rule(EDITORS),
    Action.KEEP_FOLLOWUP_LIST: Rule(EDITORS, scoped=BODY),
    Action.CLOSE_ITEMS: Rule(EDITORS, scoped=BODY),
    Action.MARK_REPORTED: Rule(EDITORS, scoped=BODY),
    Action.REVOKE_TOKEN: Rule(frozenset({Role.ADMIN}), on_their_own=EVERYONE),
    # The secretaries, and the person drafting this response.
    Action.DRAFT_RESPONSE: Rule(EDITORS, on_their_own=frozenset({Role.OWNER}), scoped=BODY),
    Action.ADOPT_RESPONSE: Rule(EDITORS, scoped=BODY),
    # The auditors' own follow-up of their recommendations: the one thing they write.
    Action.RECORD_FINDINGS: Rule(EDITORS | {Role.AUDITOR}, scoped=BODY),
    Action.GRADE_ITEMS: Rule(EDITORS, scoped=BODY),
    Action.POST_ON_BEHALF: Rule(EDITORS, scoped=BODY),
    Action.MARK_SECRECY: Rule(EDITORS, scoped=BODY),
}


def is_theirs(user, target) -> bool:
    """Tell whether the target is the user's: a measure they own, an item they answer for, them."""
    if isinstance(target, Measure):
        return target.owner_id == user.id or _deputy_of(user, target.owner_id)
    if isinstance(target, Recommendation):
        return target.responsible_id == user.id or _deputy_of(user, target.responsible_id)
    if isinstance(target, User):
        return target.id == user.id
    if isinstance(target, ApiToken):
        return target.user_id == user.id
    if isinstance(target, Response):
        return target.responsible_id == user.id
    return False


def _deputy_of(user, owner_id: int | None) -> bool:
    """Tell whether the user stands in for the owner today (an absence with a deputy)."""
    if not owner_id:
        return False
    # Read once per request and user: lists ask for every row.
    known = g.setdefault("standing_in_for", {})
    if user.id not in known:
        from tracker import dates
        from tracker.db import get_session
        from tracker.deputies.services import absent_for

        known[user.id] = absent_for(get_session(), user.id, on=dates.today())
    return owner_id in known[user.id]


def can(user, action: Action | str, target=None) -> bool:
    """Tell whether a user may do an action, on a target where it matters."""
    # Action() raises on an unknown name: a misspelt action fails loudly, it never just denies.
    rule = RULES[Action(action)]
    if user is None or not user.is_authenticated:
        return False
    if user.role in rule.roles and (user.role not in rule.scoped or in_scope(user, target)):
        return True
    if user.role not in rule.on_their_own:
        return False
    return is_theirs(user, target) or (target is None and rule.own_without_target)


def require(action: Action | str, target=None) -> None:
    """Abort with 403 unless the signed-in user may do the action."""
    if not can(current_user, action, target):
        abort(403)
