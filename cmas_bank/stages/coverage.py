"""Blueprint coverage of the eligible items (IC codes); its extra is the `CoverageReport`."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from cmas_bank.bankitem import BankItem
from cmas_bank.diagnostics import display_path
from cmas_bank.stages import Output, StageInput, now


class Coverage:
    name: str = "coverage"
    codes: tuple[str, ...] = ("IC",)

    def view(self, b: BankItem) -> Hashable:
        from cmas_bank.coverage import coverage_view

        return coverage_view(b)

    def start(self, run: StageInput) -> Callable[[], Output]:
        from cmas_bank.coverage import balance_settings, compute_coverage

        balance = balance_settings(run.config)
        valid = ((b, b.display) for b in run.valid)
        report = compute_coverage(valid, run.outline, run.statuses, run.multiplier, balance)
        return now(Output(report.diagnostics(display_path(run.config.bank.absolute())), extra=report))


STAGE = Coverage()
