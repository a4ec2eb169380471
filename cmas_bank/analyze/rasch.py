"""Rasch (one-parameter logistic) item difficulties, their standard errors and fit, by joint
maximum likelihood (JML), in numpy.

Model: `P(X[n, i] = 1) = 1 / (1 + exp(-(theta_n - b_i)))` (Rasch, 1960).

Method (Wright & Stone, *Best Test Design*, 1979, ch. 3; Linacre, "Estimation methods for Rasch
measures", 1999):

1. Items everyone or no one answered right, and candidates with a zero or perfect score on the
   remaining items, have no finite estimate: they are set aside, repeatedly, until none is left.
2. In a complete design (every candidate of a form meets every item; omissions are scored wrong)
   a candidate's ability depends on their raw score alone, so the likelihood is written over score
   groups: `n_s` candidates with score s share one `theta_s`. The work per iteration is
   (scores x items), not (candidates x items): 100,000 candidates cost what 230 do.
3. Start from the log-odds (PROX-like) values `b_i = ln((N - c_i) / c_i)`, centred, and
   `theta_s = ln(s / (L - s))`; then alternate Newton steps (capped at 1 logit) for the abilities,
   `theta_s += (s - sum_i P_si) / sum_i P_si (1 - P_si)`, and the difficulties,
   `b_i += (sum_s n_s P_si - c_i) / sum_s n_s P_si (1 - P_si)`, centring b at 0 after each round,
   until no value moves by more than 1e-7 logits.
4. JML difficulties are biased outwards by about L / (L - 1) for L items; they are multiplied by
   `(L - 1) / L` (Wright & Douglas, 1977).
5. Standard error: `SE_i = 1 / sqrt(sum_n P_ni (1 - P_ni))` (the model information).
6. Fit (Wright & Masters, *Rating Scale Analysis*, 1982): with residual `y = x - P` and variance
   `W = P (1 - P)`, outfit is the mean of the squared standardised residuals `y^2 / W` over the
   candidates, infit the information-weighted `sum y^2 / sum W`. Both are near 1 when the model
   fits; above 1.3 the responses are noisier than the model expects, below 0.7 too predictable.
   Both are computed from the count of right answers per score group and item, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Rasch:
    """Estimates for the items of one form, NaN for items set aside as extreme."""

    difficulty: np.ndarray
    se: np.ndarray
    infit: np.ndarray
    outfit: np.ndarray
    persons: int  # candidates used (no zero or perfect score)
    iterations: int
    converged: bool


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _trim(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the items and candidates with finite estimates (step 1)."""
    items = np.ones(x.shape[1], dtype=bool)
    persons = np.ones(x.shape[0], dtype=bool)
    while True:
        scores = x[:, items].sum(axis=1, dtype=np.int64)
        persons = (scores > 0) & (scores < items.sum())
        right = x[persons].sum(axis=0, dtype=np.int64)
        keep = items & (right > 0) & (right < persons.sum())
        if (keep == items).all():
            return items, persons
        items = keep


def _iterate(scores: np.ndarray, n_s: np.ndarray, right: np.ndarray, length: int, tol: float, limit: int):
    b = np.log((n_s.sum() - right) / right)
    b -= b.mean()
    theta = np.log(scores / (length - scores))
    for iteration in range(1, limit + 1):
        prob = _sigmoid(theta[:, None] - b[None, :])
        info = prob * (1.0 - prob)
        step_t = np.clip((scores - prob.sum(axis=1)) / info.sum(axis=1), -1.0, 1.0)
        theta = theta + step_t
        prob = _sigmoid(theta[:, None] - b[None, :])
        info = prob * (1.0 - prob)
        step_b = np.clip((n_s @ prob - right) / (n_s @ info), -1.0, 1.0)
        b = b + step_b
        b -= b.mean()
        if max(np.abs(step_t).max(), np.abs(step_b).max()) < tol:
            return b, theta, iteration, True
    return b, theta, limit, False


def rasch(x: np.ndarray, *, tol: float = 1e-7, limit: int = 500) -> Rasch:
    """JML estimates for the 0/1 matrix `x` (candidates x items); see the module's docstring."""
    k = x.shape[1]
    items, persons = _trim(x)
    nan = np.full(k, np.nan)
    length = int(items.sum())
    if length < 2 or persons.sum() < 2:
        return Rasch(nan, nan.copy(), nan.copy(), nan.copy(), int(persons.sum()), 0, False)
    sub = x[np.ix_(persons, items)].astype(np.int8)
    raw = sub.sum(axis=1, dtype=np.int64)
    order = np.argsort(raw, kind="stable")
    scores, starts, n_s = np.unique(raw[order], return_index=True, return_counts=True)
    right_s = np.add.reduceat(sub[order], starts, axis=0, dtype=np.int64).astype(np.float64)  # (scores, items)
    right = right_s.sum(axis=0)
    n_s = n_s.astype(np.float64)
    b, theta, iterations, converged = _iterate(scores.astype(np.float64), n_s, right, length, tol, limit)
    prob = _sigmoid(theta[:, None] - b[None, :])
    info = prob * (1.0 - prob)
    wrong_s = n_s[:, None] - right_s
    information = n_s @ info
    outfit = (right_s * (1.0 - prob) / prob + wrong_s * prob / (1.0 - prob)).sum(axis=0) / n_s.sum()
    infit = (right_s * (1.0 - prob) ** 2 + wrong_s * prob**2).sum(axis=0) / information
    out = Rasch(nan.copy(), nan.copy(), nan.copy(), nan.copy(), int(persons.sum()), iterations, converged)
    out.difficulty[items] = b * (length - 1) / length
    out.se[items] = 1.0 / np.sqrt(information)
    out.infit[items], out.outfit[items] = infit, outfit
    return out
