"""Answering a reminder from the mail: a link that opens one item's status-update form."""
