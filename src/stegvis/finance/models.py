"""Models: see issue 5."""
