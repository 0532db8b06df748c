"""Models: see issue 4."""
