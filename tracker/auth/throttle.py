"""Sign-in throttling: a growing delay per (account, address), never a lock for everyone.

Each try takes a ticket before the password is checked (an atomic increment), so parallel
tries cannot pass the count together; a refused try gives its ticket back. Per pair, the first
SIGNIN_FREE_TRIES pass at once, then try n waits SIGNIN_DELAY_SECONDS × (2^(n−free) − 1) from
the first. Per account and per address, fixed limits stop spreading guesses over many
addresses or many accounts; an address that has signed in to the account before passes both,
so nobody can lock an account (or everyone behind a shared address) for its owner.
Counts live in Flask-Limiter's storage: Redis when set, shared by every worker.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

KNOWN_DAYS = 180


class Throttled(Exception):
    """Too many tries: the answer names when the next one is let through."""

    def __init__(self, until: float):
        super().__init__("too many sign-in tries")
        self.until = until


@dataclass
class Ticket:
    """The counts a sign-in try took; given back when it succeeds or is refused."""

    keys: list[str]
    known: str


def _setting(name: str, default: int) -> int:
    value = current_app.config.get(name, default)
    # The older "10 per 15 minutes" notation: its number is the limit.
    return int(str(value).split()[0])


def _storage():
    limiter = current_app.extensions["tracker.limiter"]
    fallback = current_app.extensions.setdefault("tracker.signin_memory", MemoryStorage())
    storage = limiter.storage
    if storage is fallback:
        return fallback
    try:
        up = storage.check()
    except Exception:  # noqa: BLE001 - any failure of the shared store
        up = False
    if not up:
        # Better per-process counts than nobody signing in at all.
        current_app.logger.warning("sign-in counts: the shared store is down, counting here")
        return fallback
    return storage


def _key(*parts: str) -> str:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "tracker")
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
    return f"{prefix}/signin/{parts[0]}/{digest}"


def _window_start(storage, key: str, window: int) -> float:
    return storage.get_expiry(key) - window


def take(email: str) -> Ticket:
    """Take a ticket for a try on this account from this address; raise Throttled if none."""
    storage = _storage()
    account = email.strip().casefold()[:254]
    address = get_remote_address() or ""
    window = _setting("SIGNIN_WINDOW_MINUTES", 60) * 60
    free = _setting("SIGNIN_FREE_TRIES", 5)
    delay = _setting("SIGNIN_DELAY_SECONDS", 2)
    known = _key("known", account, address)
    pair = _key("pair", account, address)
    taken = [pair]
    tries = storage.incr(pair, window)
    start = _window_start(storage, pair, window)
    if tries > free:
        waited = max(0.0, time.time() - start)
        allowed = free + int(math.log2(1 + waited / delay))
        if tries > allowed:
            _give_back(storage, taken)
            raise Throttled(start + delay * (2 ** (tries - free) - 1))
    if not storage.get(known):
        # A new address: the account's and the address's limits apply too.
        for kind, value, limit in (
            ("account", account, _setting("SIGNIN_LIMIT_ACCOUNT", 30)),
            ("address", address, _setting("SIGNIN_LIMIT_ADDRESS", 200)),
        ):
            key = _key(kind, value)
            taken.append(key)
            if storage.incr(key, window) > limit:
                until = storage.get_expiry(key)
                _give_back(storage, taken)
                raise Throttled(until)
    return Ticket(taken, known)


def _give_back(storage, keys: list[str]) -> None:
    for key in keys:
        storage.incr(key, 1, amount=-1)


def succeeded(ticket: Ticket) -> None:
    """Forget the account's failures from this address and remember the address as known."""
    storage = _storage()
    storage.clear(ticket.keys[0])
    _give_back(storage, ticket.keys[1:])
    storage.incr(ticket.known, KNOWN_DAYS * 24 * 3600)
