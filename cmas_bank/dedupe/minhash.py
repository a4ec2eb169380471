"""MinHash signatures and LSH band shape, on numpy alone.

This is datasketch 2.0's default scheme ("affine32"), rebuilt in a few lines so the install does
not carry scipy (113 MB, which datasketch needs only to integrate two polynomials):

- each feature's 32-bit hash (crc32 here) is pre-mixed with the MurmurHash3 finaliser, then
  permuted `num_perm` ways by h -> a * h + b mod 2^32 (a odd, so each is a bijection), with a and b
  drawn from numpy's `RandomState(seed)` exactly as datasketch draws them; a signature is the
  minimum of each permutation over the item's features. The signatures equal datasketch's
  (tests/test_dedupe.py compares them where datasketch is installed);
- `band_shape` chooses b bands of r rows (b x r <= num_perm) that minimise the weighted false
  positive and false negative areas under the LSH S-curve, as datasketch's `_optimal_param`
  does. Its integrals are of polynomials of degree b x r at most, so Gauss-Legendre quadrature
  with num_perm / 2 + 1 nodes is exact where datasketch calls scipy's `quad`.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

_FMIX = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
MAX32 = (1 << 32) - 1


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[Any, Any]:
    """The a (odd) and b of each permutation, as datasketch's MinHash(seed=seed) draws them."""
    import numpy as np

    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix(hv: Any) -> Any:
    import numpy as np

    s1, m1, s2, m2, s3 = _FMIX
    hv = hv ^ (hv >> np.uint32(s1))
    hv = hv * np.uint32(m1)
    hv = hv ^ (hv >> np.uint32(s2))
    hv = hv * np.uint32(m2)
    return hv ^ (hv >> np.uint32(s3))


def signatures(feature_sets: Sequence[Sequence[str]], num_perm: int, seed: int) -> Any:
    """One row of `num_perm` minimums per feature set (each set non-empty), as uint64."""
    import numpy as np

    a, b = permutations(num_perm, seed)
    sizes = np.fromiter((len(f) for f in feature_sets), dtype=np.int64, count=len(feature_sets))
    if len(sizes) == 0:
        return np.empty((0, num_perm), dtype=np.uint64)
    hashes = np.fromiter(
        (zlib.crc32(x.encode()) for f in feature_sets for x in f), dtype=np.uint32, count=int(sizes.sum())
    )
    with np.errstate(over="ignore"):
        permuted = _fmix(hashes)[:, None] * a + b  # uint32: the wraparound is the mod 2^32
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    return np.minimum.reduceat(permuted, starts, axis=0).astype(np.uint64)


@lru_cache(maxsize=32)
def band_shape(threshold: float, num_perm: int, weights: tuple[float, float]) -> tuple[int, int]:
    """(b, r): the bands and rows per band that minimise fp_weight x (false positive area below
    the threshold) + fn_weight x (false negative area above it)."""
    import numpy as np

    nodes, node_weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def area(low: float, high: float, f: Any) -> Any:  # of f over [low, high], for every (b, r) row
        s = (high - low) / 2 * nodes + (high + low) / 2
        return (f(s) * node_weights).sum(axis=-1) * (high - low) / 2

    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=float)
    bands, rows = pairs[:, :1], pairs[:, 1:]
    positive = area(0.0, threshold, lambda s: 1 - (1 - s**rows) ** bands)
    negative = area(threshold, 1.0, lambda s: (1 - s**rows) ** bands)
    error = positive * weights[0] + negative * weights[1]
    best = int(np.argmin(error))  # the first of equal errors, as datasketch's strict `<` keeps
    return int(pairs[best, 0]), int(pairs[best, 1])
