"""Responses to audit reports and the auditors' follow-up reviews."""
