"""Reminders: computed from the data on each run, claimed in the ledger, sent, marked sent.

A reminder is a window before or after a deadline ("7 days before" lasts from deadline-7
until "1 day before" begins). Each run computes which window every open item is in today,
claims (item, kind, deadline, recipient) in the ledger, whose unique key lets only one
run have it, sends the mail, and marks the row sent. A failed send keeps its error and is
retried by the next run, up to a cap; a claim without a send (a crash) is retried once it
is older than the claim timeout.
"""
