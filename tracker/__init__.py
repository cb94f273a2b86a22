"""The tracker: follow-up of audit recommendations and board assignments."""

from tracker.app import create_app

__all__ = ["create_app"]
