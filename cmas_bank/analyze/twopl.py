"""Two-parameter logistic (2PL) item discriminations and difficulties by marginal maximum
likelihood, in numpy (opt-in: `two-pl = true` in `[tool.cmas-bank.analyze]`).

Model (Birnbaum, 1968): `P(X[n, i] = 1) = 1 / (1 + exp(-a_i (theta_n - b_i)))`, abilities drawn
from the standard normal, so the scale is fixed by the candidates (mean 0, sd 1), not centred on
the items as the Rasch difficulties are.

Method: the EM algorithm of Bock & Aitkin (1981, *Psychometrika* 46, 443-459), as in Baker & Kim,
*Item Response Theory: Parameter Estimation Techniques* (2004), ch. 6:

1. Items everyone or no one answered right have no finite estimate: they are left out (NaN).
2. The ability distribution is replaced by `Q` = 41 Gauss-Hermite nodes on the standard normal
   (`numpy.polynomial.hermite_e.hermegauss`, weights normalised to 1).
3. E-step: each candidate's posterior over the nodes, `w[n, q]` proportional to
   `prior_q * prod_i P_iq^x (1 - P_iq)^(1 - x)` (in logs, by matrix products); the expected
   candidates at each node `n_q = sum_n w[n, q]` and right answers `r_iq = sum_n w[n, q] x[n, i]`.
4. M-step: per item, a weighted logistic regression of `r_iq` of `n_q` on the nodes, in the
   parameters `(a_i, c_i)` of the logit `a_i theta + c_i` (concave, so Newton steps, capped at 1,
   are safe); `b_i = -c_i / a_i`.
5. Start from `a = 1` and the log-odds difficulties; stop when no parameter moves by more than
   `tol` (1e-4) in an EM cycle, or after `limit` (500) cycles (`converged` says which).
6. Standard errors from the cross-product of each candidate's score (the gradient of their log
   marginal likelihood) per item (the empirical, "XPD", information; Mislevy 1986), the 2 x 2 block
   of each item inverted; `SE(b)` by the delta method from `b = -c / a`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NODES = 41
CHUNK = 10_000  # candidates per block of the E-step: memory stays (CHUNK x NODES)


@dataclass
class TwoPL:
    """Estimates for the items of one form, NaN for items left out as extreme."""

    discrimination: np.ndarray
    difficulty: np.ndarray
    se_discrimination: np.ndarray
    se_difficulty: np.ndarray
    iterations: int
    converged: bool


def _quadrature() -> tuple[np.ndarray, np.ndarray]:
    from numpy.polynomial.hermite_e import hermegauss

    nodes, weights = hermegauss(NODES)
    return nodes, weights / weights.sum()


def _posterior(x: np.ndarray, a: np.ndarray, c: np.ndarray, nodes: np.ndarray, log_prior: np.ndarray) -> np.ndarray:
    """w[n, q]: each candidate's posterior over the nodes (x: a block of candidates, 0/1 floats)."""
    z = np.outer(a, nodes) + c[:, None]  # (items, nodes)
    log_p, log_q = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
    log_lik = x @ log_p + (1.0 - x) @ log_q + log_prior[None, :]
    log_lik -= log_lik.max(axis=1, keepdims=True)
    w = np.exp(log_lik)
    return w / w.sum(axis=1, keepdims=True)


def _expected(x: np.ndarray, a: np.ndarray, c: np.ndarray, nodes: np.ndarray, log_prior: np.ndarray):
    n_q = np.zeros(len(nodes))
    r = np.zeros((x.shape[1], len(nodes)))
    for start in range(0, x.shape[0], CHUNK):
        block = x[start : start + CHUNK]
        w = _posterior(block, a, c, nodes, log_prior)
        n_q += w.sum(axis=0)
        r += block.T @ w
    return n_q, r


def _m_step(a: np.ndarray, c: np.ndarray, n_q: np.ndarray, r: np.ndarray, nodes: np.ndarray, steps: int = 3):
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(np.outer(a, nodes) + c[:, None])))
        resid = r - n_q[None, :] * p
        g_a, g_c = resid @ nodes, resid.sum(axis=1)
        info = n_q[None, :] * p * (1.0 - p)
        h_aa, h_ac, h_cc = info @ nodes**2, info @ nodes, info.sum(axis=1)
        det = h_aa * h_cc - h_ac**2
        det = np.where(det > 1e-12, det, 1e-12)
        step_a = np.clip((h_cc * g_a - h_ac * g_c) / det, -1.0, 1.0)
        step_c = np.clip((h_aa * g_c - h_ac * g_a) / det, -1.0, 1.0)
        a, c = a + step_a, c + step_c
    return a, c


def _standard_errors(x: np.ndarray, a: np.ndarray, c: np.ndarray, nodes: np.ndarray, log_prior: np.ndarray):
    """SE of a and b from the per-item blocks of the empirical (cross-product) information."""
    s_aa, s_ac, s_cc = np.zeros(len(a)), np.zeros(len(a)), np.zeros(len(a))
    p = 1.0 / (1.0 + np.exp(-(np.outer(a, nodes) + c[:, None])))  # (items, nodes)
    for start in range(0, x.shape[0], CHUNK):
        block = x[start : start + CHUNK]
        w = _posterior(block, a, c, nodes, log_prior)
        # d log L_n / d c_i = sum_q w[n, q] (x_ni - P_iq); d / d a_i the same weighted by the node
        g_c = block - w @ p.T
        g_a = block * (w @ nodes)[:, None] - w @ (p * nodes[None, :]).T
        s_aa += (g_a**2).sum(axis=0)
        s_ac += (g_a * g_c).sum(axis=0)
        s_cc += (g_c**2).sum(axis=0)
    det = s_aa * s_cc - s_ac**2
    with np.errstate(divide="ignore", invalid="ignore"):
        var_a, var_c, cov = s_cc / det, s_aa / det, -s_ac / det
        se_a = np.sqrt(var_a)
        # b = -c / a: db/da = c / a^2, db/dc = -1 / a
        da, dc = c / a**2, -1.0 / a
        se_b = np.sqrt(da**2 * var_a + dc**2 * var_c + 2 * da * dc * cov)
    return se_a, se_b


def twopl(x: np.ndarray, *, tol: float = 1e-4, limit: int = 500) -> TwoPL:
    """MML estimates for the 0/1 matrix `x` (candidates x items); see the module's docstring."""
    k = x.shape[1]
    nan = np.full(k, np.nan)
    right = x.sum(axis=0, dtype=np.int64)
    items = (right > 0) & (right < x.shape[0])
    if items.sum() < 2:
        return TwoPL(nan, nan.copy(), nan.copy(), nan.copy(), 0, False)
    sub = x[:, items].astype(np.float64)
    nodes, weights = _quadrature()
    log_prior = np.log(weights)
    share = right[items] / x.shape[0]
    a, c = np.ones(int(items.sum())), np.log(share / (1.0 - share))
    converged, iteration = False, 0
    for iteration in range(1, limit + 1):
        n_q, r = _expected(sub, a, c, nodes, log_prior)
        new_a, new_c = _m_step(a, c, n_q, r, nodes)
        moved = max(np.abs(new_a - a).max(), np.abs(new_c - c).max())
        a, c = new_a, new_c
        if moved < tol:
            converged = True
            break
    se_a, se_b = _standard_errors(sub, a, c, nodes, log_prior)
    out = TwoPL(nan.copy(), nan.copy(), nan.copy(), nan.copy(), iteration, converged)
    out.discrimination[items], out.difficulty[items] = a, -c / a
    out.se_discrimination[items], out.se_difficulty[items] = se_a, se_b
    return out
