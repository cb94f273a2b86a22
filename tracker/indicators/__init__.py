"""Indicators (styrmått): targets, outcomes per period by women and men, linked to measures."""
