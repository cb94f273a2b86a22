"""Deputies: who stands in for a person during an absence, for reminders and updates."""
