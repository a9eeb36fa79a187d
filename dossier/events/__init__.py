"""Event detection: who was done what, when, by whom."""
