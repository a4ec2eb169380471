"""cmas-bank: a question-bank pipeline for the AMT CMAS exam."""

__version__ = "0.1.0"
