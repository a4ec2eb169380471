"""Exceptions that end a command with exit code 2 and a one-line message, never a traceback."""

from __future__ import annotations


class UsageError(Exception):
    """Bad options, configuration, outline or I/O outside the items themselves (exit 2)."""
