"""Settings from TRACKER_* environment variables, with safe defaults."""

import os
import secrets
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"TRACKER_{name}", default)


def _key_from_file(key_file: Path) -> str:
    """Read the key file, first making it if missing: whole, 0600, the same for every worker."""
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        # Written in full under a name of its own (mkstemp makes it 0600), then linked into
        # place: a link fails if the file exists, so of workers starting at once one wins,
        # and no worker ever reads a half-written key.
        handle, partial = tempfile.mkstemp(dir=key_file.parent, prefix=".secret_key.")
        try:
            with os.fdopen(handle, "w") as file:
                file.write(secrets.token_hex(32))
                file.flush()
                os.fsync(file.fileno())
            os.link(partial, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(partial)
    return key_file.read_text().strip()


def load_config(instance_path: Path) -> dict:
    """Return the app's settings read from the environment."""
    env = _env("ENV", "production")
    secret = _env("SECRET_KEY")
    if not secret:
        secret = _key_from_file(instance_path / "secret_key")
    secure = env != "development"
    evidence_max = int(_env("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "DATABASE_URL": _env("DATABASE_URL", f"sqlite:///{instance_path / 'tracker.db'}"),
        "BASE_URL": _env("BASE_URL", "http://127.0.0.1:5000"),
        "TIMEZONE": _env("TIMEZONE", "Europe/Stockholm"),
        "SMTP_HOST": _env("SMTP_HOST"),
        "SMTP_PORT": int(_env("SMTP_PORT", "0") or 0),
        "SMTP_USERNAME": _env("SMTP_USERNAME"),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "SMTP_SECURITY": _env("SMTP_SECURITY", "none"),
        "MAIL_FROM": _env("MAIL_FROM", "tracker@localhost"),
        # Named in the accessibility statement: where to report what cannot be used.
        "ACCESSIBILITY_CONTACT": _env(
            "ACCESSIBILITY_CONTACT", _env("MAIL_FROM", "tracker@localhost")
        ),
        "PAGE_SIZE": int(_env("PAGE_SIZE", "50")),
        # Throttling (Flask-Limiter): shared by all workers through Redis when set.
        "REDIS_URL": _env("REDIS_URL"),
        "API_RATE_LIMIT": _env("API_RATE_LIMIT", "120/minute"),
        # Reminders: see README, "Deadline reminders".
        "REMINDER_LEAD_DAYS": _env("REMINDER_LEAD_DAYS", "30,14,7,1,0"),
        "REMINDER_ESCALATION_DAY": int(_env("REMINDER_ESCALATION_DAY", "14")),
        "REMINDER_DIGEST_WEEKDAY": _env("REMINDER_DIGEST_WEEKDAY", "mon"),
        "REMINDER_DIGEST_HOUR": int(_env("REMINDER_DIGEST_HOUR", "7")),
        "REMINDER_INTERVAL_MINUTES": int(_env("REMINDER_INTERVAL_MINUTES", "15")),
        "REMINDER_MAX_ATTEMPTS": int(_env("REMINDER_MAX_ATTEMPTS", "5")),
        "REMINDER_CLAIM_TIMEOUT_MINUTES": int(_env("REMINDER_CLAIM_TIMEOUT_MINUTES", "30")),
        # A scheduler beats every quarter of this; its claims are retried when it stops.
        "REMINDER_HEARTBEAT_TIMEOUT_MINUTES": int(_env("REMINDER_HEARTBEAT_TIMEOUT_MINUTES", "2")),
        "PAPER_DEADLINE_DAYS": int(_env("PAPER_DEADLINE_DAYS", "14")),
        # Evidence files of closing decisions: outside the web root; empty means
        # instance/evidence. The cap is in bytes.
        "EVIDENCE_DIR": _env("EVIDENCE_DIR"),
        "EVIDENCE_MAX_BYTES": evidence_max,
        # No request may be larger: a far too large upload is cut off before it is read,
        # a near miss is read and refused with a message next to the field.
        "MAX_CONTENT_LENGTH": 4 * evidence_max + 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": _env("TIMEZONE", "Europe/Stockholm"),
        "LANGUAGES": ("sv", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "WTF_CSRF_TIME_LIMIT": None,
        "BOOTSTRAP_SERVE_LOCAL": True,
        # Flask-Limiter: memory by default (one process), Redis when several share the count.
        "RATELIMIT_STORAGE_URI": _env("REDIS_URL") or "memory://",
        "RATELIMIT_KEY_PREFIX": _env("RATELIMIT_PREFIX", "tracker"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Sign-in tries (tracker/auth/throttle.py): free ones per account and address, then
        # a doubling delay; per account, and per address, from addresses not known to it.
        "SIGNIN_FREE_TRIES": int(_env("SIGNIN_FREE_TRIES", "5")),
        "SIGNIN_DELAY_SECONDS": int(_env("SIGNIN_DELAY_SECONDS", "2")),
        "SIGNIN_WINDOW_MINUTES": int(_env("SIGNIN_WINDOW_MINUTES", "60")),
        "SIGNIN_LIMIT_ACCOUNT": _env("SIGNIN_LIMIT_ACCOUNT", "30"),
        "SIGNIN_LIMIT_ADDRESS": _env("SIGNIN_LIMIT_ADDRESS", "200"),
        # A reminder's link that opens the item's status-update form without a password
        # (README, "Answering from the reminder"); "off" leaves only the sign-in link.
        "ANSWER_LINKS": _env("ANSWER_LINKS", "on") != "off",
        # The public register of recommendations (/register), without sign-in: off until a
        # region decides to publish (README, "The public register").
        "PUBLIC_REGISTER": _env("PUBLIC_REGISTER", "off") == "on",
        "ANSWER_LINK_DAYS": int(_env("ANSWER_LINK_DAYS", "14")),
        "ANSWER_LINK_LIMIT": _env("ANSWER_LINK_LIMIT", "20 per 10 minutes"),
        # Sign-in with the region's identity provider (OpenID Connect): see README.
        "OIDC_ISSUER": _env("OIDC_ISSUER").rstrip("/"),
        "OIDC_CLIENT_ID": _env("OIDC_CLIENT_ID"),
        "OIDC_CLIENT_SECRET": _env("OIDC_CLIENT_SECRET"),
        "OIDC_SCOPES": _env("OIDC_SCOPES", "openid email profile"),
        "OIDC_EMAIL_CLAIM": _env("OIDC_EMAIL_CLAIM", "email"),
        "OIDC_NAME_CLAIM": _env("OIDC_NAME_CLAIM", "name"),
        "OIDC_GROUPS_CLAIM": _env("OIDC_GROUPS_CLAIM", "groups"),
        # The group table's first rows: "group=role[:BODY or unit name]; ...".
        "OIDC_GROUPS": _env("OIDC_GROUPS"),
        "OIDC_LABEL": _env("OIDC_LABEL"),  # the sign-in button; empty: a translated default
        # "off": only the break-glass administrators sign in with a password.
        "PASSWORD_SIGN_IN": _env("PASSWORD_SIGN_IN", "on") != "off",
        "BREAK_GLASS": [
            email.strip().lower() for email in _env("BREAK_GLASS").split(",") if email.strip()
        ],
        # The SCIM endpoint's bearer token; empty: the endpoint refuses every request.
        "SCIM_TOKEN": _env("SCIM_TOKEN"),
    }
