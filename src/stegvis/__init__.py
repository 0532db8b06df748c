"""Stegvis: follow-up and management for Sweden's samordningsförbund (Finsam)."""

__version__ = "0.1.0"
