"""Recommendations (from auditors) and assignments (from a board), with their references."""
