"""Models: see the issue that builds this app."""
