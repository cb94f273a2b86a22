"""Measures (åtgärder): concrete actions taken because of recommendations."""
