"""Test support: helpers the tests need and the application does not (kept out of ``src/``)."""
