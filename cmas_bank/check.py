"""`cmas-bank check`: a thin entry point over the engine (`cmas_bank.engine.run`), which runs
every check over one parse of the bank with one result and one exit code."""

from __future__ import annotations

from cmas_bank.engine.run import CheckResult, run_check, summary

__all__ = ["CheckResult", "run_check", "summary"]
