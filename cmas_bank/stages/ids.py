"""Unique ids, and file names that match them: validate's bank-wide part."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from cmas_bank.bankitem import BankItem
from cmas_bank.stages import Output, StageInput, now


class Ids:
    name: str = "validate"
    codes: tuple[str, ...] = ("IV4",)

    def view(self, b: BankItem) -> Hashable:
        from cmas_bank.validate import bank_view

        return bank_view(b)

    def start(self, run: StageInput) -> Callable[[], Output]:
        from cmas_bank.validate import bank_diagnostics

        return now(Output(list(bank_diagnostics(run.items))))


STAGE = Ids()
