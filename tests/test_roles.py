"""Every route, for every role and for an anonymous visitor, answers as the role allows.

Rules live in tests/roles_*.py, one file per domain; a route without a rule fails here.
"""

import importlib
import pkgutil

import pytest

import tests
from tests.roles import ANONYMOUS, OWNER_ELSEWHERE, Rule
from tracker.auth.permissions import RULES, Action, can
from tracker.models import BodyMember, BodySecretary

# Secretaries of no body in particular, of the world's body, and of another body only.
SECRETARIES = ["secretary", "secretary_here", "secretary_elsewhere"]
# The owner twice: of the world's unit, answering for its rows, and of another unit only.
ROLES = ["admin", *SECRETARIES, "owner", OWNER_ELSEWHERE, "viewer", "elected", "auditor", ANONYMOUS]


def _domains() -> list:
    return [
        importlib.import_module(f"tests.{module.name}")
        for module in pkgutil.iter_modules(tests.__path__)
        if module.name.startswith("roles_")
    ]


def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for domain in _domains():
        rules.update(domain.RULES)
    return rules


def test_every_route_has_a_rule(app):
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(all_rules()))
    assert missing == [], f"routes without a rule in tests/roles_*.py: {missing}"


@pytest.fixture
def world(make, session):
    """Make one row of each kind, owned by the owner user, and return the URL arguments."""
    users = {role: make.user(role.split("_")[0]) for role in ROLES if role != ANONYMOUS}
    body = make.body()
    elsewhere = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    session.add(BodySecretary(body_id=body.id, user_id=users["secretary_here"].id))
    session.add(BodySecretary(body_id=elsewhere.id, user_id=users["secretary_elsewhere"].id))
    session.add(BodyMember(body_id=body.id, user_id=users["elected"].id))
    meeting = make.meeting(body)
    unit = make.unit()
    users[OWNER_ELSEWHERE].unit_id = make.unit(name="Annan enhet").id
    session.commit()
    # The world's rows belong to its body: a secretary of another body may not edit them. They
    # are its unit's: an owner of another unit reads none of them.
    source = make.source(addressee_id=body.id)
    recommendation = make.recommendation(source, responsible_id=users["owner"].id, unit_id=unit.id)
    measure = make.measure([recommendation], owner_id=users["owner"].id, unit_id=unit.id)
    args = {
        "source_id": source.id,
        "recommendation_id": recommendation.id,
        "measure_id": measure.id,
        "meeting_id": meeting.id,
        "body_id": body.id,
        "unit_id": unit.id,
        "user_id": users["viewer"].id,
        "code": "en",
        "filename": "tracker.css",
    }
    # Each tests/roles_<domain>.py may add its domain's rows with add_to_world().
    for domain in _domains():
        if hasattr(domain, "add_to_world"):
            args.update(domain.add_to_world(make=make, session=session, users=users, args=args))
    return users, args


def _url(app, endpoint: str, args: dict) -> str:
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{name: args[name] for name in rule.arguments})


SIGNING_OUT = {"auth.logout", "auth.sign_out_everywhere"}


@pytest.mark.parametrize("who", ROLES)
def test_routes_answer_as_the_role_allows(app, world, login, client, who):
    users, args = world
    if who != ANONYMOUS:
        login(users[who])
    rules = all_rules()
    failures = []
    for url_rule in app.url_map.iter_rules():
        rule = rules[url_rule.endpoint]
        url = _url(app, url_rule.endpoint, args)
        for method, allowed in (("GET", rule.get), ("POST", rule.post), ("PUT", rule.post)):
            if method not in url_rule.methods:
                continue
            if method == "PUT" and not rule.system:
                continue
            if method == "POST" and url_rule.endpoint in SIGNING_OUT:
                continue  # signing out would end the rest of the loop's session
            if method == "PUT":
                response = client.put(url, json={})
            else:
                response = client.get(url) if method == "GET" else client.submit(url, {})
            status = response.status_code
            if rule.api or rule.system:
                ok = status == 401  # the API and SCIM refuse the session cookie
            elif who in rule.unseen:
                ok = status == 404
            elif who in allowed:
                ok = status < 500 and status != 403 and not _to_login(response)
            elif who == ANONYMOUS:
                ok = _to_login(response)
            else:
                ok = status == 403
            if not ok:
                failures.append(f"{method} {url}: {status}")
    assert failures == [], f"{who}: {failures}"


@pytest.mark.parametrize("who", ROLES)
def test_api_routes_answer_as_the_token_role_allows(app, world, client, who):
    users, args = world
    headers = {} if who == ANONYMOUS else {"Authorization": f"Bearer {args['api_tokens'][who]}"}
    failures = []
    for url_rule in app.url_map.iter_rules():
        rule = all_rules()[url_rule.endpoint]
        if not rule.api:
            continue
        url = _url(app, url_rule.endpoint, args)
        for method, allowed in (("GET", rule.get), ("POST", rule.post), ("PATCH", rule.patch)):
            if method not in url_rule.methods:
                continue
            response = client.open(url, method=method, json={}, headers=headers)
            status = response.status_code
            if who == ANONYMOUS:
                ok = status == 401
            elif who in rule.unseen:
                ok = status == 404
            elif who in allowed:
                ok = status < 500 and status not in (401, 403)
            else:
                ok = status == 403
            ok = ok and response.mimetype in ("application/json", "application/problem+json")
            if not ok:
                failures.append(f"{method} {url}: {status}")
    assert failures == [], f"{who}: {failures}"


def _to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def test_every_action_has_a_rule_and_a_misspelt_action_fails_loudly(make):
    admin = make.user("admin")
    assert set(RULES) == set(Action)
    assert can(admin, Action.EDIT_SOURCE) and can(admin, "edit_source")
    with pytest.raises(ValueError):
        can(admin, "edit_sources")
