"""Deadline reminders: windows, the ledger, the mails, the digest and the calendar feed."""
