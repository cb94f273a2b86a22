"""The annual report on every recommendation and assignment: how far each got, and when."""
