"""`assemble`'s model on small banks made in memory: each constraint type changes the answer, the
supply counts explain infeasible requests, and every form passes an independent checker (plain
Python, no solver) against the blueprint, enemies, duplicates, overlap and usage."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from cmas_bank.assemble import Infeasible, assemble
from cmas_bank.assemble.model import FormFile
from cmas_bank.assemble.pool import Pool, build_pool
from cmas_bank.assemble.settings import AssembleSettings
from cmas_bank.bankitem import BankItem
from cmas_bank.errors import UsageError
from cmas_bank.outline import Outline

# A blueprint of 8: work area 1 takes 4 (sub-areas 1A, 1B), work area 2 takes 4 (2A, 2B).
OUTLINE = Outline.model_validate(
    {
        "id": "tiny",
        "title": "Tiny outline for assembly tests",
        "version": "1",
        "provenance": "official",
        "exam": {"scored_items": 8, "delivered_items_max": 10},
        "blueprint_items": 8,
        "work_areas": [
            {
                "number": 1,
                "name": "One",
                "weight": 50.0,
                "items": 4,
                "subareas": [{"code": "1A", "name": "a"}, {"code": "1B", "name": "b"}],
            },
            {
                "number": 2,
                "name": "Two",
                "weight": 50.0,
                "items": 4,
                "subareas": [{"code": "2A", "name": "a"}, {"code": "2B", "name": "b"}],
            },
        ],
    }
)


@dataclass
class FakeCluster:
    """What build_pool reads of a dedupe cluster: its ids."""

    ids: tuple[str, ...]


def item(
    item_id: str,
    sub: str,
    answer: str = "A",
    difficulty: str = "medium",
    cognitive: str = "recall",
    status: str = "approved",
    enemies: tuple[str, ...] = (),
) -> BankItem:
    return BankItem(
        path=f"/bank/{item_id}.yaml",
        display=f"bank/{item_id}.yaml",
        id=item_id,
        valid=True,
        answer=answer,
        enemies=enemies,
        status=status,
        domain=int(sub[:-1]),
        subdomain=sub,
        difficulty=difficulty,
        cognitive_level=cognitive,
    )


def spread(n1: int, n2: int, **kw: Any) -> list[BankItem]:
    """n1 items in work area 1 and n2 in work area 2, sub-areas and keys in turn."""
    out = []
    for area, n in ((1, n1), (2, n2)):
        for k in range(n):
            sub = f"{area}{'AB'[k % 2]}"
            out.append(item(f"I{area}-{k:02d}", sub, answer="ABCD"[k % 4], **kw))
    return out


def loose(**kw: Any) -> AssembleSettings:
    """Settings with only the blueprint and the conflicts binding (keys and mixes free)."""
    base: dict[str, Any] = {"key-balance": (0.0, 1.0), "mix-tolerance": 1.0, "pretest": 0}
    return AssembleSettings.model_validate(base | {k.replace("_", "-"): v for k, v in kw.items()})


def forms_of(pool: Pool, settings: AssembleSettings) -> list[FormFile]:
    return assemble(settings, OUTLINE, pool).forms


def scored(form: FormFile) -> list[str]:
    return [e.id for e in form.items if e.scored]


def independent_check(forms: list[FormFile], pool: Pool, outline: Outline, overlap: int | None, usage: int) -> None:
    """Every form meets the blueprint and holds no enemy pair or duplicate pair; any two share at
    most `overlap` items; no item is on more than `usage` forms. Plain Python over the bank data."""
    items = pool.items
    for form in forms:
        ids = [e.id for e in form.items]
        assert len(ids) == len(set(ids)), f"{form.form} repeats an item"
        per_area = Counter(items[i].domain for i in scored(form))
        assert per_area == Counter({a.number: a.items for a in outline.work_areas if a.items}), form.form
        for a, b in itertools.combinations(ids, 2):
            assert b not in pool_enemies(pool, a), f"{form.form}: enemies {a} and {b}"
            assert not any({a, b} <= set(g) for w, g in pool.groups if w == "duplicates"), f"duplicates {a}, {b}"
        for e in form.items:
            assert e.area == items[e.id].domain and e.subarea == items[e.id].subdomain
        assert all(row.met for row in form.audit), [r for r in form.audit if not r.met]
    for f, g in itertools.combinations(forms, 2):
        shared = set(scored(f)) & set(scored(g))
        assert overlap is None or len(shared) <= overlap, (f.form, g.form, len(shared))
    use = Counter(i for form in forms for i in {e.id for e in form.items})
    assert max(use.values()) <= usage


def pool_enemies(pool: Pool, item_id: str) -> set[str]:
    return {b for w, g in pool.groups if w == "enemies" and item_id in g for b in g if b != item_id}


def any_seed(pool: Pool, predicate: Any, seeds: int = 25, **kw: Any) -> bool:
    """Whether some seed's forms satisfy `predicate` (the tie-breaking costs differ by seed)."""
    return any(predicate(forms_of(pool, loose(seed=s, **kw))) for s in range(seeds))


# --- each constraint type changes the answer ------------------------------------------------------


def test_work_area_counts_follow_the_blueprint_and_the_constraint_table() -> None:
    pool = build_pool(spread(8, 8), [])
    (form,) = forms_of(pool, loose())
    assert Counter(pool.items[i].domain for i in scored(form)) == {1: 4, 2: 4}
    rows = [{"kind": "area", "scope": "1", "min": 5, "max": 5}, {"kind": "area", "scope": "2", "min": 3, "max": 3}]
    (changed,) = forms_of(pool, loose(constraints=tuple(rows)))
    assert Counter(pool.items[i].domain for i in scored(changed)) == {1: 5, 2: 3}
    audit = {(r.constraint, r.scope): r for r in changed.audit}
    assert audit[("area", "1")].target == "= 5" and audit[("area", "1")].achieved == 5
    assert audit[("area", "1")].note == "from the constraint table"


def test_subarea_minimum_puts_every_subarea_on_the_form() -> None:
    # Work area 1: six items in 1A, one in 1B; four are picked.
    bank = [item(f"A{k}", "1A", answer="ABCD"[k % 4]) for k in range(6)] + [item("B0", "1B")]
    bank += [item(f"C{k}", "2A" if k % 2 else "2B") for k in range(4)]
    pool = build_pool(bank, [])
    without = any_seed(pool, lambda fs: "B0" not in scored(fs[0]), subarea_min=0)
    assert without, "with no sub-area minimum some seed leaves 1B out"
    for seed in range(25):
        (form,) = forms_of(pool, loose(seed=seed))
        assert "B0" in scored(form)


def test_subarea_minimum_is_relaxed_where_the_bank_cannot_and_kept_when_asked() -> None:
    bank = [item(f"A{k}", "1A") for k in range(7)] + [item("B0", "1B")]
    bank += [item(f"C{k}", "2A" if k % 2 else "2B") for k in range(8)]
    pool = build_pool(bank, [])
    forms = forms_of(pool, loose(forms=2, max_usage=1))
    row = next(r for r in forms[0].audit if (r.constraint, r.scope) == ("subarea", "1B"))
    assert row.target == ">= 0" and row.note.startswith("relaxed: 1 eligible item(s) for 2 form(s)")
    with pytest.raises(Infeasible) as exc:
        forms_of(pool, loose(forms=2, max_usage=1, subarea_min=1))
    assert "sub-area 1B needs 2 eligible items for 2 forms without reuse (at least 1 each); the bank has 1" in (
        exc.value.reasons
    )


def test_key_balance_sets_each_letter_between_the_bounds() -> None:
    pool = build_pool(spread(10, 10), [])

    def unbalanced(fs: list[FormFile]) -> bool:
        return set(Counter(pool.items[i].answer for i in scored(fs[0])).values()) != {2}

    assert any_seed(pool, unbalanced)
    for seed in range(10):
        (form,) = forms_of(pool, loose(seed=seed, key_balance=(0.25, 0.25)))
        assert Counter(pool.items[i].answer for i in scored(form)) == dict.fromkeys("ABCD", 2)


@pytest.mark.parametrize(
    ("setting", "attr", "level"), [("difficulty", "difficulty", "hard"), ("cognitive", "cognitive_level", "analysis")]
)
def test_difficulty_and_cognitive_mixes_bind(setting: str, attr: str, level: str) -> None:
    bank = spread(8, 8)
    for k, b in enumerate(bank):
        if k % 3 == 0:
            setattr(b, attr, level)
    pool = build_pool(bank, [])

    def count(form: FormFile) -> int:
        return sum(
            1
            for i in scored(form)
            if getattr(pool.items[i], "difficulty" if attr == "difficulty" else "cognitive_level") == level
        )

    assert any_seed(pool, lambda fs: count(fs[0]) != 4)
    for seed in range(10):
        (form,) = forms_of(pool, loose(seed=seed, **{setting: {level: (0.5, 0.5)}}))
        assert count(form) == 4


def test_default_mix_keeps_forms_near_the_bank_mix() -> None:
    bank = spread(12, 12)
    for k, b in enumerate(bank):
        b.difficulty = "hard" if k % 4 == 0 else "easy"  # a quarter of the bank is hard
    pool = build_pool(bank, [])
    for seed in range(10):
        (form,) = forms_of(pool, loose(seed=seed, mix_tolerance=0.0))
        assert sum(1 for i in scored(form) if pool.items[i].difficulty == "hard") == 2


def test_eligible_statuses_choose_the_candidates() -> None:
    bank = spread(6, 3) + [item("D1", "2B", status="draft"), item("D2", "2A", status="draft")]
    pool = build_pool(bank, [])
    with pytest.raises(Infeasible) as exc:
        forms_of(pool, loose())
    assert exc.value.reasons == ["work area 2 needs 4 eligible items for 1 form; the bank has 3"]
    (form,) = forms_of(pool, loose(statuses=("approved", "draft")))
    assert {"D1", "D2"} & set(scored(form))


def test_include_and_exclude() -> None:
    pool = build_pool(spread(8, 8), [])
    (first,) = forms_of(pool, loose())
    picked, left_out = scored(first)[0], next(i for i in pool.items if i not in scored(first))
    (form,) = forms_of(pool, loose(include=(left_out,), exclude=(picked,)))
    assert left_out in scored(form) and picked not in scored(form)
    with pytest.raises(UsageError, match=r"include: no valid item 'NOPE' in the bank"):
        forms_of(pool, loose(include=("NOPE",)))
    drafted = build_pool(spread(8, 8) + [item("DR", "1A", status="draft")], [])
    with pytest.raises(UsageError, match=r"include: DR is draft, not an eligible status \(approved\)"):
        forms_of(drafted, loose(include=("DR",)))


def test_included_items_need_reuse_and_overlap_room() -> None:
    pool = build_pool(spread(10, 10), [])
    with pytest.raises(Infeasible) as exc:
        forms_of(pool, loose(forms=2, max_usage=1, include=("I1-00",)))
    assert exc.value.reasons == [
        "1 included item(s) sit on every form, but an item may be on at most 1 of the 2 forms (max-usage)"
    ]
    forms = forms_of(pool, loose(forms=2, include=("I1-00", "I2-03")))
    assert all({"I1-00", "I2-03"} <= set(scored(f)) for f in forms)


def test_item_usage_limits_reuse() -> None:
    pool = build_pool(spread(10, 10), [])
    assert any_seed(pool, lambda fs: bool(set(scored(fs[0])) & set(scored(fs[1]))), forms=2)
    for seed in range(5):
        forms = forms_of(pool, loose(seed=seed, forms=2, max_usage=1))
        independent_check(forms, pool, OUTLINE, overlap=0, usage=1)
    three = forms_of(pool, loose(forms=3, max_usage=2))
    independent_check(three, pool, OUTLINE, overlap=None, usage=2)


def test_pairwise_overlap_limit() -> None:
    pool = build_pool(spread(6, 6), [])  # two forms of 4 + 4 from 6 + 6: they share at least 4
    assert any_seed(pool, lambda fs: len(set(scored(fs[0])) & set(scored(fs[1]))) > 4, forms=2)
    for seed in range(5):
        forms = forms_of(pool, loose(seed=seed, forms=2, max_overlap=4))
        independent_check(forms, pool, OUTLINE, overlap=4, usage=2)
    with pytest.raises(Infeasible) as exc:
        forms_of(pool, loose(forms=2, max_overlap=3))
    assert "the blueprint needs 13 eligible items for 2 forms with overlap 3; the bank has 12" in exc.value.reasons


def test_overlap_across_three_forms_in_one_model() -> None:
    pool = build_pool(spread(9, 9), [])
    forms = forms_of(pool, loose(forms=3, max_overlap=3))
    assert forms[0].solver.strategy == "simultaneous"
    independent_check(forms, pool, OUTLINE, overlap=3, usage=3)


def test_enemies_either_side_never_share_a_form() -> None:
    plain = spread(5, 4)
    assert any_seed(build_pool(plain, []), lambda fs: {"I1-00", "I1-01"} <= set(scored(fs[0])))
    # Only I1-01 lists I1-00: the pair holds both ways.
    plain[1].enemies = ("I1-00",)
    pool = build_pool(plain, [])
    assert pool.groups == [("enemies", ("I1-00", "I1-01"))]
    for seed in range(15):
        forms = forms_of(pool, loose(seed=seed))
        assert not {"I1-00", "I1-01"} <= set(scored(forms[0]))
        independent_check(forms, pool, OUTLINE, overlap=None, usage=1)


def test_duplicate_clusters_never_share_a_form() -> None:
    bank = spread(6, 4)
    cluster = ("I1-00", "I1-01", "I1-02")
    assert any_seed(build_pool(bank, []), lambda fs: len(set(cluster) & set(scored(fs[0]))) > 1)
    pool = build_pool(bank, [FakeCluster(cluster)])
    for seed in range(15):
        (form,) = forms_of(pool, loose(seed=seed))
        assert len(set(cluster) & set(scored(form))) == 1
    with pytest.raises(Infeasible) as exc:
        forms_of(build_pool(spread(5, 4), [FakeCluster(("I1-00", "I1-01", "I1-02"))]), loose())
    assert exc.value.reasons == [
        "the solver proved that no forms meet every constraint together",
        "enemies and duplicates block it: the forms exist if they may share a form; add items or resolve them",
    ]


def test_a_proven_infeasible_request_names_the_family_that_blocks_it() -> None:
    # Work area 2 must use all four of its items, three keyed C: two of each letter cannot be had,
    # though every letter has two items in the bank (the supply counts pass).
    bank = [item(f"A{k}", "1A" if k % 2 else "1B", answer=key) for k, key in enumerate("AABBD")]
    bank += [item(f"C{k}", "2A" if k % 2 else "2B", answer=key) for k, key in enumerate("CCCD")]
    pool = build_pool(bank, [])
    with pytest.raises(Infeasible) as exc:
        forms_of(pool, loose(key_balance=(0.25, 0.25)))
    assert exc.value.reasons[1:] == [
        "the key balance blocks it: the forms exist without it; widen key-balance or add items keyed otherwise"
    ]


def test_pretest_slots_come_from_review_items_unscored() -> None:
    bank = spread(8, 8) + [item(f"R{k}", "1A", status="review") for k in range(3)]
    bank.append(item("R9", "2A", status="review", enemies=tuple(b.id or "" for b in bank[:16])))
    pool = build_pool(bank, [])
    (form,) = forms_of(pool, loose().model_copy(update={"pretest": None}))  # the outline's default: 10 - 8
    unscored = [e.id for e in form.items if not e.scored]
    assert len(unscored) == 2 and set(unscored) <= {"R0", "R1", "R2"}  # R9 is an enemy of every scored item
    assert form.scored == 8 and form.pretest == 2
    (more,) = forms_of(pool, loose(pretest=5))
    assert sorted(e.id for e in more.items if not e.scored) == ["R0", "R1", "R2"]  # up to P: all there are
    row = next(r for r in more.audit if r.constraint == "pretest")
    assert (row.target, row.achieved) == ("<= 5", 3)


def test_sequential_strategy_builds_valid_forms_one_at_a_time() -> None:
    pool = build_pool(spread(12, 12), [])
    forms = forms_of(pool, loose(forms=3, max_overlap=2, strategy="sequential"))
    assert {f.solver.strategy for f in forms} == {"sequential"}
    independent_check(forms, pool, OUTLINE, overlap=2, usage=3)


def test_delivery_order_by_area_or_shuffled_by_the_seed() -> None:
    pool = build_pool(spread(8, 8), [])
    (by_area,) = forms_of(pool, loose())
    keys = [(e.area, e.subarea, e.id) for e in by_area.items]
    assert keys == sorted(keys)
    orders = {tuple(e.id for e in forms_of(pool, loose(order="shuffle", seed=s))[0].items) for s in range(4)}
    assert len(orders) > 1
    again = forms_of(pool, loose(order="shuffle", seed=3))[0]
    assert again == forms_of(pool, loose(order="shuffle", seed=3))[0]


def test_solver_status_reads_model_status_and_gap() -> None:
    """A solution counts as proven optimal only when HiGHS says Optimal AND the gap is within
    tolerance; a time-limit stop with a solution is best-found."""
    import highspy

    from cmas_bank.assemble.solver import NoSolution, _outcome

    class Info:
        def __init__(self, gap: float, primal: int) -> None:
            self.mip_gap, self.primal_solution_status = gap, primal
            self.objective_function_value, self.mip_dual_bound = 3.0, 2.5

    class FakeHighs:
        def __init__(self, status: Any, gap: float, primal: int = 2) -> None:
            self.status, self.info = status, Info(gap, primal)

        def getModelStatus(self) -> Any:
            return self.status

        def getInfo(self) -> Info:
            return self.info

        def modelStatusToString(self, status: Any) -> str:
            return str(status)

    status = highspy.HighsModelStatus
    assert _outcome(FakeHighs(status.kOptimal, 0.0), highspy, "simultaneous", 5).proven_optimal
    assert not _outcome(FakeHighs(status.kOptimal, 0.2), highspy, "simultaneous", 5).proven_optimal
    stopped = _outcome(FakeHighs(status.kTimeLimit, 0.05), highspy, "simultaneous", 5)
    assert not stopped.proven_optimal and stopped.mip_gap == 0.05
    with pytest.raises(NoSolution, match="no forms within the time limit of 5 s"):
        _outcome(FakeHighs(status.kTimeLimit, float("inf"), primal=0), highspy, "simultaneous", 5)
    with pytest.raises(NoSolution, match="proved that no forms meet every constraint"):
        _outcome(FakeHighs(status.kInfeasible, 0.0), highspy, "simultaneous", 5)


def test_supply_messages_name_the_area_the_keys_and_the_mixes() -> None:
    pool = build_pool(spread(5, 5), [])
    with pytest.raises(Infeasible) as exc:
        forms_of(pool, loose(forms=2, max_overlap=0, key_balance=(0.25, 0.25)))
    reasons = exc.value.reasons
    assert "work area 1 needs 8 eligible items for 2 forms with overlap 0; the bank has 5" in reasons
    assert "key B needs 4 eligible items for 2 forms with overlap 0 (at least 2 each); the bank has 2" in reasons
    assert not any(r.startswith("key A") for r in reasons)  # four A keys are enough
    with pytest.raises(Infeasible) as exc:
        forms_of(pool, loose(difficulty={"easy": (0.75, 1.0), "hard": (0.5, 1.0)}))
    assert "the difficulty minimums add up to 10, more than a form's 8 scored items" in exc.value.reasons
    assert "difficulty hard needs 4 eligible items for 1 form; the bank has 0" in exc.value.reasons


def test_form_check_in_memory_pretest_statuses_and_outline(tmp_path: Any) -> None:
    from cmas_bank.assemble.formcheck import check_form
    from cmas_bank.assemble.forms import render

    bank = spread(8, 8) + [item("R0", "1A", status="review")]
    pool = build_pool(bank, [])
    (form,) = forms_of(pool, loose(pretest=1))
    path = tmp_path / "FORM-01.yaml"
    path.write_text(render(form), encoding="utf-8")
    assert check_form(path, pool, OUTLINE) == []  # a pretest item in review is eligible as pretest
    approved = build_pool(spread(8, 8) + [item("R0", "1A", status="draft")], [])
    (found,) = check_form(path, approved, OUTLINE)
    assert (found.code, found.message) == ("IF202", "R0 is draft; a pretest item must be approved or review")
    other = OUTLINE.model_copy(update={"id": "other"})
    (mismatch,) = check_form(path, pool, other)
    assert mismatch.code == "IF102" and mismatch.severity.value == "warning" and mismatch.line == 4


def test_pool_keeps_valid_items_only_and_enemies_that_exist() -> None:
    broken = item("BAD", "1A")
    broken.valid = False
    bank = [*spread(2, 2), broken, item("E1", "1A", enemies=("GONE", "I1-00", None))]  # type: ignore[arg-type]
    pool = build_pool(bank, [FakeCluster(("I2-00", "BAD"))])
    assert "BAD" not in pool.items and pool.invalid == 1
    assert pool.groups == [("enemies", ("E1", "I1-00"))]  # GONE is not in the bank; BAD's cluster is gone


def test_auto_builds_forms_one_at_a_time_when_the_model_is_too_big(monkeypatch: pytest.MonkeyPatch) -> None:
    from cmas_bank.assemble import solver

    pool = build_pool(spread(12, 12), [])
    assert {f.solver.strategy for f in forms_of(pool, loose(forms=2, max_usage=1))} == {"simultaneous"}
    monkeypatch.setattr(solver, "SIMULTANEOUS_LIMIT", 23)  # 24 items x 2 forms = 48 columns
    forms = forms_of(pool, loose(forms=2, max_usage=1))
    assert {f.solver.strategy for f in forms} == {"sequential"}
    assert forms[0].solver.time_limit == 60.0  # the run's time limit, shared by the solves in turn
    independent_check(forms, pool, OUTLINE, overlap=None, usage=1)


def test_auto_builds_separable_forms_one_at_a_time_with_the_same_answer() -> None:
    """Without an overlap or usage limit the forms do not constrain each other: `auto` builds them
    one at a time (small models, pruned), and they are the forms one joint model gives."""
    bank, clusters = varied(160)
    pool = build_pool(bank, clusters)
    for seed in range(3):
        given = {"forms": 3, "seed": seed, "pretest": 0}
        auto = forms_of(pool, AssembleSettings.model_validate(given))
        joint = forms_of(pool, AssembleSettings.model_validate(given | {"strategy": "simultaneous"}))
        assert {f.solver.strategy for f in auto} == {"sequential"}
        assert [scored(f) for f in auto] == [scored(f) for f in joint]
        independent_check(auto, pool, OUTLINE, overlap=None, usage=3)
    two = forms_of(pool, AssembleSettings.model_validate({"forms": 2, "max-overlap": 2, "pretest": 0}))
    assert {f.solver.strategy for f in two} == {"simultaneous"}  # an overlap limit ties them together


# --- one form at a time: pruned candidates, a greedy start, the time limit passed on ---------------


def varied(per_area: int, conflicts: bool = True) -> tuple[list[BankItem], list[FakeCluster]]:
    """Items of every key, difficulty and cognitive level in each sub-area (many per cell, so the
    pruning leaves items out), with enemy pairs and a duplicate cluster among them."""
    levels, cognitive = ("easy", "medium", "hard"), ("recall", "application", "analysis")
    bank = []
    for area in (1, 2):
        for k in range(per_area):
            sub = f"{area}{'AB'[k % 2]}"
            bank.append(
                item(f"V{area}-{k:03d}", sub, "ABCD"[(k // 2) % 4], levels[(k // 8) % 3], cognitive[(k // 24) % 3])
            )
    if not conflicts:
        return bank, []
    for n in range(0, len(bank) - 7, 7):
        bank[n].enemies = (bank[n + 3].id,)
    return bank, [FakeCluster(tuple(b.id for b in bank[5:40:8]))]


def every_item(plan: Any, costs: dict[str, float], earlier: list[list[str]], used: dict[str, int]) -> list[Any]:
    return [p for p in plan.eligible if used.get(p.id, 0) < plan.usage]


@pytest.mark.parametrize(("overlap", "few_cells"), [(None, False), (3, False), (None, True), (3, True)])
def test_pruned_candidates_give_the_forms_every_item_gives(
    monkeypatch: pytest.MonkeyPatch, overlap: int | None, few_cells: bool
) -> None:
    """Leaving out the items that cannot improve a form changes neither the form nor its objective
    (so the proven gap holds for the whole pool), while the model gets smaller. With few cells
    (four per work area, keys and mixes free) the best forms take several items of one cell."""
    from cmas_bank.assemble import solver

    bank, clusters = (spread(40, 40), []) if few_cells else varied(160)
    pool = build_pool(bank, clusters)
    for seed in range(4):
        given = {"forms": 3, "seed": seed, "max-overlap": overlap, "strategy": "sequential"}
        settings = loose(**given) if few_cells else AssembleSettings.model_validate(given | {"pretest": 0})
        pruned = forms_of(pool, settings)
        independent_check(pruned, pool, OUTLINE, overlap=overlap, usage=3)
        kept = [next(r for r in f.audit if r.constraint == "candidates") for f in pruned]
        assert all(isinstance(r.achieved, int) and r.achieved < len(pool.items) for r in kept), kept
        assert "given to the solver" in kept[0].note
        with monkeypatch.context() as patched:
            patched.setattr(solver, "candidates", every_item)
            full = forms_of(pool, settings)
        assert [scored(f) for f in pruned] == [scored(f) for f in full], seed
        assert [f.solver.objective for f in pruned] == [f.solver.objective for f in full]
        assert all(f.status == "optimal" for f in pruned + full)


def test_greedy_start_meets_every_row_conflict_and_overlap() -> None:
    from cmas_bank.assemble.constraints import make_plan
    from cmas_bank.assemble.greedy import greedy_form
    from cmas_bank.assemble.solver import _tie_cost

    bank, clusters = varied(160)
    pool = build_pool(bank, clusters)
    plan = make_plan(AssembleSettings.model_validate({"forms": 2, "max-overlap": 2, "pretest": 0}), OUTLINE, pool)
    costs = {p.id: _tie_cost(plan, 0, p.id) for p in plan.eligible}
    first = greedy_form(plan, plan.eligible, costs, [])
    assert first is not None
    second = greedy_form(plan, plan.eligible, costs, [first])  # the same costs: it would repeat the first form
    assert second is not None and len(set(first) & set(second)) <= 2
    for ids in (first, second):
        items = [pool.items[i] for i in ids]
        assert len(set(ids)) == plan.length
        for row in plan.rows:
            assert row.met(sum(1 for p in items if row.holds(p))), row
        for _, group in pool.groups:
            assert len(set(group) & set(ids)) <= 1, group
    # Where the greedy fill gets stuck (area 2 has too few items), it says so instead of a bad start.
    short = build_pool(varied(160, conflicts=False)[0][:163], [])
    stuck = make_plan(AssembleSettings.model_validate({"pretest": 0}), OUTLINE, short)
    assert greedy_form(stuck, stuck.eligible, {p.id: 0.0 for p in stuck.eligible}, []) is None


def test_sequential_forms_pass_unused_time_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each form may take the time the forms before it left, divided by the forms still to build."""
    from cmas_bank.assemble import solver

    limits: list[float] = []
    real = solver._Model.solve

    def recording(self: Any, time_limit: float) -> Any:
        limits.append(time_limit)
        return real(self, time_limit)

    monkeypatch.setattr(solver._Model, "solve", recording)
    pool = build_pool(spread(12, 12), [])
    forms = forms_of(pool, loose(forms=3, strategy="sequential", time_limit=60.0))
    assert limits[0] == pytest.approx(20.0, abs=0.5)
    assert limits[1] == pytest.approx(30.0, abs=1.0) and limits[2] == pytest.approx(60.0, abs=2.0)
    assert {f.solver.time_limit for f in forms} == {60.0}
