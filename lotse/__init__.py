"""Lotse: offline-first, encrypted case documentation for kinderstark navigators."""

__version__ = "0.1.0"
