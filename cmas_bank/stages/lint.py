"""The bank-wide lint rules (IW5xx, and IW901 for their suppressions)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from cmas_bank.bankitem import BankItem
from cmas_bank.stages import Output, StageInput, now


class BankLint:
    name: str = "lint"
    codes: tuple[str, ...] = ("IW5", "IW901")

    def view(self, b: BankItem) -> Hashable:
        from cmas_bank.lint import bank_view

        return bank_view(b)

    def start(self, run: StageInput) -> Callable[[], Output]:
        from cmas_bank.lint import BankMemo, lint_bank_items

        kept = run.kept.get(self.name)
        memo = BankMemo(changed=run.changed, state=dict(kept) if isinstance(kept, dict) else {}, before=run.before)
        assert run.lint is not None  # the engine reads the lint settings when this stage runs
        found = lint_bank_items(run.valid, run.lint, whole_bank=run.whole_bank, memo=memo)
        return now(Output(found, state=memo.state))


STAGE = BankLint()
