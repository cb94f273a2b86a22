"""Sign-in throttling: a growing delay per account and address, and no lock for everyone."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from tests.conftest import PASSWORD
from tests.html_forms import rendered_form
from tests.live_server import Gunicorn, cookies_of

WRONG = "fel lösenord igen"


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _try(client, email, password=WRONG):
    return client.submit("/login", {"email": email, "password": password})


def test_the_delay_grows_per_account_and_address_and_the_typed_email_is_kept(app, make):
    app.config.update(SIGNIN_FREE_TRIES=2, SIGNIN_DELAY_SECONDS=1)
    user = make.user("owner")
    client = _from(app, "192.0.2.1")
    assert [_try(client, user.email).status_code for _ in range(2)] == [400, 400]
    first = _try(client, user.email, PASSWORD)  # even the right password waits its turn
    page = first.get_data(as_text=True)
    assert first.status_code == 429 and 'id="password-error"' in page
    assert "Too many failed sign-ins. Try again after" in page
    assert f'value="{user.email}"' in page
    assert int(first.headers["Retry-After"]) == 1
    time.sleep(1.1)  # the first delay, waited for real
    assert _try(client, user.email).status_code == 400
    second = _try(client, user.email)
    assert second.status_code == 429 and int(second.headers["Retry-After"]) >= 2  # doubled
    # An unknown e-mail gets the same answers: the throttle tells nothing about accounts.
    unknown = [_try(client, "finns.inte@region.example").status_code for _ in range(3)]
    assert unknown == [400, 400, 429]


def test_nobody_locks_an_account_for_its_owner(app, make):
    app.config.update(SIGNIN_FREE_TRIES=3, SIGNIN_DELAY_SECONDS=600, SIGNIN_LIMIT_ACCOUNT=5)
    admin = make.user("admin")
    office = _from(app, "198.51.100.10")
    assert _try(office, admin.email, PASSWORD).status_code == 302  # signed in here before
    office.post("/logout", data={"csrf_token": office.csrf()})

    attacker = _from(app, "203.0.113.66")
    tries = [_try(attacker, admin.email).status_code for _ in range(20)]
    assert tries == [400] * 3 + [429] * 17
    # Guesses spread over many addresses meet the account's limit.
    spread = [_try(_from(app, f"203.0.113.{n}"), admin.email).status_code for n in range(1, 5)]
    assert spread == [400, 400, 429, 429]  # 3 + 2 reached the password check: the limit, 5
    # The administrator's own address passes with the right password; a new one waits.
    office.token = None
    assert _try(office, admin.email, PASSWORD).status_code == 302
    assert _try(_from(app, "192.0.2.200"), admin.email, PASSWORD).status_code == 429


def test_fifty_failures_from_one_address_do_not_lock_out_everyone_behind_it(app, make):
    users = [make.user("owner") for _ in range(3)]
    behind = "198.51.100.77"  # a town hall's one public address
    regular = users[2]
    assert _try(_from(app, behind), regular.email, PASSWORD).status_code == 302
    guesser = _from(app, behind)
    for n in range(50):
        assert _try(guesser, f"gissning{n}@region.example").status_code == 400
    assert _try(_from(app, behind), users[0].email, PASSWORD).status_code == 302

    # Past the address's limit, new sign-ins from it wait; known people still pass.
    app.config["SIGNIN_LIMIT_ADDRESS"] = 50
    assert _try(_from(app, behind), users[1].email, PASSWORD).status_code == 429
    assert _try(_from(app, behind), regular.email, PASSWORD).status_code == 302


def test_sign_in_works_and_says_so_in_the_log_when_redis_is_down(make, migrated, caplog):
    from tracker import create_app

    settings = {
        "DATABASE_URL": migrated,
        "TESTING": True,
        "SECRET_KEY": "test",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens there
    }
    worker = create_app(settings)
    try:
        from tests.conftest import Client

        worker.test_client_class = Client
        user = make.user("viewer")
        assert _try(worker.test_client(), user.email, PASSWORD).status_code == 302
        assert "the shared store is down" in caplog.text
    finally:
        worker.extensions["tracker.engine"].dispose()


@pytest.fixture
def server(app, migrated):
    prefix = f"tracker-test-{uuid.uuid4().hex}"
    server = Gunicorn(
        migrated,
        workers=2,
        threads=8,
        env={
            "TRACKER_REDIS_URL": "redis://127.0.0.1:6379/0",
            "TRACKER_RATELIMIT_PREFIX": prefix,
            "TRACKER_SIGNIN_FREE_TRIES": "5",
            "TRACKER_SIGNIN_DELAY_SECONDS": "600",
        },
    )
    yield server
    server.stop()
    store = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    keys = store.keys(f"*{prefix}*")
    if keys:
        store.delete(*keys)


def test_forty_parallel_wrong_tries_let_no_more_than_the_limit_reach_the_password(server, make):
    user = make.user("admin")
    jar: dict = {}
    status, headers, page = server.request("GET", "/login")
    cookie = cookies_of(headers, jar)
    form = rendered_form(page, "/login").data(email=user.email, password=WRONG)

    def attempt(_n):
        return server.request("POST", "/login", form, cookie)[0]

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(attempt, range(40)))
    # 400: the password was checked and wrong; 429: refused before the check.
    assert sorted(set(statuses)) == [400, 429]
    assert statuses.count(400) <= 5 and statuses.count(400) + statuses.count(429) == 40
