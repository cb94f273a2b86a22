"""Indicators and outcomes: fulfilment, queries, saving outcomes, and links to measures."""
