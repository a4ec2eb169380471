"""Classical test theory statistics of one form, vectorised over candidates and items.

The input is the response matrix of one form: `R[n, i]` is candidate n's choice on item i (0..3
for options A..D, 4 for an omission) and `key[i]` the item's answer. Scoring is right = 1, wrong
or omitted = 0, giving the 0/1 matrix X; the total score is `T[n] = sum_i X[n, i]`.

Every variance and covariance is the population one (divided by N, not N - 1); correlations do
not depend on the choice, and KR-20 uses the same divisor for item and total variances, as
Kuder and Richardson (1937) and Cronbach (1951) do.

Formulas (sources: Crocker & Algina, *Introduction to Classical and Modern Test Theory*, 1986,
ch. 14 (item analysis) and ch. 7 (reliability); Kelley, 1939, for the 27 % groups; Henrysson,
1963, for the corrected item-total correlation):

- p-value: `p_i = mean_n X[n, i]`, the share answering right (omissions count as wrong).
- Rest score: `T - X[:, i]`, the total without item i; correlating an item with it instead of the
  total removes the item's own share of the total (the "corrected" point-biserial).
- Corrected point-biserial: `r_i = cov(X_i, T - X_i) / sqrt(var(X_i) var(T - X_i))` with
  `cov(X_i, T - X_i) = cov(X_i, T) - var(X_i)` and `var(T - X_i) = var(T) + var(X_i) - 2 cov(X_i, T)`,
  so no rest-score matrix is ever built. Undefined (NaN) when everyone or no one is right.
- Upper-lower discrimination index: `D_i = p_i(upper) - p_i(lower)`, the groups being the top and
  bottom `round(0.27 N)` candidates ranked by total score (ties in the order the candidates were
  read).
- Per option k of item i, with `C = [R[:, i] == k]` (choosers of k): share `mean(C)`; the mean rest
  score of the choosers; the option-rest point-biserial `corr(C, T - X_i)`, computed from
  `cov(C, T - X_i) = mean(C T) - mean(C X_i) - mean(C) mean(T - X_i)`, where `mean(C X_i)` is
  `mean(C)` for the key and 0 for a distractor. For the key it equals the corrected point-biserial;
  a sound distractor has a negative one. The omissions get the same statistics as a fifth "option".
- KR-20 (Kuder & Richardson, 1937, formula 20; equal to Cronbach's alpha on 0/1 scores):
  `KR20 = I / (I - 1) * (1 - sum_i p_i (1 - p_i) / var(T))`.
- Standard error of measurement: `SEM = sd(T) * sqrt(1 - KR20)`.
- Alpha if item i were deleted: KR-20 of the other `I - 1` items,
  `(I - 1) / (I - 2) * (1 - (sum_j p_j q_j - p_i q_i) / var(T - X_i))`.
- Score distribution: the number of candidates at each total score 0..I.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

OPTIONS = 5  # A, B, C, D and the omission


@dataclass
class Classical:
    """Statistics of one form; item arrays are indexed like the form's items, option arrays are
    (items x 5): A, B, C, D, omitted."""

    candidates: int
    items: int
    p: np.ndarray
    omitted: np.ndarray  # share of candidates who omitted the item
    point_biserial: np.ndarray  # corrected (item vs rest); NaN when undefined
    discrimination: np.ndarray  # upper-lower index
    share: np.ndarray  # (items, 5) share choosing each option
    upper_share: np.ndarray  # (items, 5) share of the upper group choosing each option
    lower_share: np.ndarray  # (items, 5)
    rest_mean: np.ndarray  # (items, 5) mean rest score of the option's choosers; NaN with none
    option_rest: np.ndarray  # (items, 5) option-rest point-biserial; NaN when undefined
    kr20: float
    sem: float
    mean: float
    sd: float
    alpha_if_deleted: np.ndarray
    distribution: np.ndarray  # candidates per total score 0..items
    group_size: int


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where den is not positive (a correlation with no variance to correlate)."""
    out = np.full(np.shape(num), np.nan)
    ok = den > 1e-12
    np.divide(num, den, out=out, where=ok)
    return out


def group_size(n: int, fraction: float) -> int:
    """Candidates in each of the upper and lower groups: round(fraction * n), at least 1."""
    return max(1, int(np.floor(fraction * n + 0.5)))


def classical(responses: np.ndarray, key: np.ndarray, fraction: float = 0.27) -> Classical:
    """The statistics of the form whose choices are `responses` (candidates x items, uint8 codes)
    and whose answers are `key` (items,). Needs at least two candidates and two items."""
    n, k = responses.shape
    x = (responses == key[None, :]).astype(np.float64)
    total = x.sum(axis=1)
    p = x.mean(axis=0)
    mean_t = float(total.mean())
    var_t = float(total.var())
    var_x = p * (1.0 - p)
    cov_xt = (total @ x) / n - p * mean_t
    var_rest = np.maximum(var_t + var_x - 2.0 * cov_xt, 0.0)
    rpb = _ratio(cov_xt - var_x, np.sqrt(var_x * var_rest))
    sum_var = float(var_x.sum())
    kr20 = k / (k - 1) * (1.0 - sum_var / var_t) if var_t > 0 else float("nan")
    rest_sum_var = np.asarray(sum_var - var_x)
    alpha_del = (k - 1) / (k - 2) * (1.0 - _ratio(rest_sum_var, var_rest)) if k > 2 else np.full(k, np.nan)

    order = np.argsort(-total, kind="stable")
    g = group_size(n, fraction)
    upper, lower = responses[order[:g]], responses[order[n - g :]]
    share, up, low = (np.zeros((k, OPTIONS)) for _ in range(3))
    rest_mean, option_rest = np.full((k, OPTIONS), np.nan), np.full((k, OPTIONS), np.nan)
    mean_rest = mean_t - p
    for option in range(OPTIONS):
        chose = responses == option
        count = chose.sum(axis=0).astype(np.float64)
        s = count / n
        is_key = (key == option).astype(np.float64)
        sum_t = total @ chose
        share[:, option] = s
        up[:, option] = (upper == option).mean(axis=0)
        low[:, option] = (lower == option).mean(axis=0)
        rest_mean[:, option] = _ratio(sum_t - is_key * count, count)
        cov = sum_t / n - is_key * s - s * mean_rest
        option_rest[:, option] = _ratio(cov, np.sqrt(s * (1.0 - s) * var_rest))
    return Classical(
        candidates=n,
        items=k,
        p=p,
        omitted=share[:, 4].copy(),
        point_biserial=rpb,
        discrimination=(upper == key[None, :]).mean(axis=0) - (lower == key[None, :]).mean(axis=0),
        share=share,
        upper_share=up,
        lower_share=low,
        rest_mean=rest_mean,
        option_rest=option_rest,
        kr20=kr20,
        sem=float(np.sqrt(var_t) * np.sqrt(max(1.0 - kr20, 0.0))) if var_t > 0 else float("nan"),
        mean=mean_t,
        sd=float(np.sqrt(var_t)),
        alpha_if_deleted=alpha_del,
        distribution=np.bincount(total.astype(np.int64), minlength=k + 1),
        group_size=g,
    )
