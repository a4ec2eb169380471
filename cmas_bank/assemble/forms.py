"""From the solver's picks to form files: pretest slots, delivery order, the audit table, and
YAML written atomically (the same bank, settings and seed give the same bytes)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from cmas_bank.assemble.constraints import Plan
from cmas_bank.assemble.model import AuditRow, FormEntry, FormFile, FormSettings, SolverInfo
from cmas_bank.assemble.pool import seeded_key
from cmas_bank.assemble.solver import Outcome

HEADER = (
    "# An exam form assembled by `cmas-bank assemble`; `cmas-bank assemble --check FILE` checks it\n"
    "# against the bank. Schema: https://cmas-bank.github.io/schemas/form.schema.json\n"
)


def form_id(plan: Plan, index: int) -> str:
    return f"{plan.settings.prefix}-{index + 1:02d}"


def pick_pretest(plan: Plan, scored: list[list[str]]) -> list[list[str]]:
    """Up to `plan.pretest` unscored items per form, drawn in seeded order from the pretest pool:
    none beside an enemy or duplicate of the form, none on more than `usage` forms."""
    conflicts = plan.pool.conflicts()
    used: Counter[str] = Counter()
    out = []
    for f, ids in enumerate(scored):
        on_form = set(ids)
        chosen: list[str] = []
        ranked = sorted(plan.pretest_pool, key=lambda p: (seeded_key(plan.settings.seed, "pretest", f, p.id), p.id))
        for p in ranked:
            if len(chosen) >= plan.pretest:
                break
            if used[p.id] >= plan.usage or any(other in on_form for other, _ in conflicts.get(p.id, ())):
                continue
            chosen.append(p.id)
            on_form.add(p.id)
            used[p.id] += 1
        out.append(sorted(chosen))
    return out


def delivery_order(plan: Plan, fid: str, ids: list[str]) -> list[str]:
    items = plan.pool.items
    if plan.settings.order == "shuffle":
        return sorted(ids, key=lambda i: (seeded_key(plan.settings.seed, fid, i), i))
    return sorted(ids, key=lambda i: (items[i].domain, items[i].subdomain, i))


def _pairs(plan: Plan, ids: set[str], why: str) -> int:
    return sum(len(ids & set(group)) * (len(ids & set(group)) - 1) // 2 for w, group in plan.pool.groups if w == why)


def audit(plan: Plan, f: int, scored: list[list[str]], pretest: list[list[str]]) -> list[AuditRow]:
    """Achieved vs. target for every row of the table and every rule across forms."""
    items = plan.pool.items
    mine = [items[i] for i in scored[f]]
    rows = []
    for r in plan.rows:
        count = sum(1 for p in mine if r.holds(p))
        rows.append(
            AuditRow(constraint=r.kind, scope=r.scope, target=r.target, achieved=count, met=r.met(count), note=r.note)
        )
    everything = set(scored[f]) | set(pretest[f])
    for why in ("enemies", "duplicates"):
        pairs = _pairs(plan, everything, why)
        rows.append(AuditRow(constraint=why, scope="pairs", target="= 0", achieved=pairs, met=pairs == 0))
    use = Counter(i for form in scored for i in form) + Counter(i for form in pretest for i in form)
    most = max((use[i] for i in everything), default=0)
    rows.append(
        AuditRow(constraint="usage", scope="forms", target=f"<= {plan.usage}", achieved=most, met=most <= plan.usage)
    )
    for g in range(len(scored)):
        if g != f:
            # The limit is on shared scored items (pretest items may be tried out on several
            # forms); the note counts the pretest ones too.
            shared = len(set(scored[f]) & set(scored[g]))
            with_pretest = len(everything & (set(scored[g]) | set(pretest[g])))
            limit = plan.overlap
            target = "any" if limit is None else f"<= {limit}"
            rows.append(
                AuditRow(
                    constraint="overlap",
                    scope=form_id(plan, g),
                    target=target,
                    achieved=shared,
                    met=limit is None or shared <= limit,
                    note=f"{with_pretest} shared counting pretest items" if with_pretest != shared else "",
                )
            )
    included = sum(1 for i in plan.include if i in everything)
    rows.append(
        AuditRow(
            constraint="include",
            scope="items",
            target=f"= {len(plan.include)}",
            achieved=included,
            met=included == len(plan.include),
        )
    )
    if plan.targets:
        from cmas_bank.assemble.targets import audit_rows

        rows += audit_rows(plan.targets, f, scored)
    wanted = plan.pretest
    note = "" if len(pretest[f]) == wanted else f"{len(plan.pretest_pool)} item(s) in the pretest statuses"
    rows.append(
        AuditRow(
            constraint="pretest", scope="slots", target=f"<= {wanted}", achieved=len(pretest[f]), met=True, note=note
        )
    )
    return rows


def _candidates_row(plan: Plan, outcome: Outcome) -> list[AuditRow]:
    """How many eligible items the form's model held: items that could not improve the form are
    left out before solving (`solver.candidates`), which keeps the proven gap true for all of them."""
    if outcome.candidates is None:
        return []
    eligible = len(plan.eligible)
    note = (
        f"{outcome.candidates} of {eligible} eligible items given to the solver; in each cell of sub-area, key, "
        "difficulty and cognitive level the others cost more than the items kept, so none could improve the form"
    )
    return [
        AuditRow(
            constraint="candidates",
            scope="solver",
            target=f"<= {eligible}",
            achieved=outcome.candidates,
            met=True,
            note=note if outcome.candidates < eligible else "",
        )
    ]


def _settings(plan: Plan) -> FormSettings:
    s = plan.settings
    return FormSettings(
        forms=plan.forms,
        statuses=list(s.statuses),
        pretest_statuses=list(s.pretest_statuses),
        max_usage=plan.usage,
        max_overlap=plan.overlap,
        pretest=plan.pretest,
        order=s.order,
        include=list(s.include),
        exclude=list(s.exclude),
    )


def build_forms(plan: Plan, scored: list[list[str]], outcomes: list[Outcome]) -> list[FormFile]:
    pretest = pick_pretest(plan, scored)
    items = plan.pool.items
    out = []
    for f, outcome in enumerate(outcomes):
        fid = form_id(plan, f)
        order = delivery_order(plan, fid, scored[f] + pretest[f])
        unscored = set(pretest[f])
        entries = [
            FormEntry(id=i, area=items[i].domain, subarea=items[i].subdomain, scored=i not in unscored) for i in order
        ]
        solver = SolverInfo(
            name="highs",
            version=outcome.version,
            strategy=outcome.strategy,  # type: ignore[arg-type]
            time_limit=plan.settings.time_limit,
            model_status=outcome.model_status,
            mip_gap=outcome.mip_gap,
            objective=outcome.objective,
            bound=outcome.bound,
        )
        out.append(
            FormFile(
                form=fid,
                outline=plan.outline.id,
                seed=plan.settings.seed,
                status="optimal" if outcome.proven_optimal else "best-found",
                settings=_settings(plan),
                solver=solver,
                scored=len(scored[f]),
                pretest=len(pretest[f]),
                items=entries,
                audit=audit(plan, f, scored, pretest) + _candidates_row(plan, outcome),
            )
        )
    return out


def render(form: FormFile) -> str:
    """The form as YAML: header fields in block style, one line per item and per audit row."""
    data = form.model_dump(mode="json")
    tail = {key: data.pop(key) for key in ("items", "audit")}
    text = HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    for key, value in tail.items():
        text += yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
    return text


def write_forms(forms: list[FormFile], out: Path) -> list[tuple[Path, bool]]:
    """Each form to `out/<form id>.yaml`, atomically; (path, whether its bytes changed)."""
    from cmas_bank.fileio import atomic_write_text

    texts = [(out / f"{form.form}.yaml", render(form)) for form in forms]
    return [(path, atomic_write_text(path, text)) for path, text in texts]
