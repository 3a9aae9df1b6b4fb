"""Staged extraction of Swedish municipal plans: read, repair, segment, records, load."""

__version__ = "0.1.0"
