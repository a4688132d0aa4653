#!/usr/bin/env python3
"""The NumPy peer of bench-perf (issue 11): what a researcher would write instead of `bench`.

Nash-MD (Munos et al. 2023, "Nash Learning from Human Feedback", §5) with exact feedback:
    log π^μ_t = normalise((1 − ητ) log π_t + ητ log μ)
    log π_{t+1} = normalise(log π^μ_t + η P π^μ_t)
on random games P_ij ~ U(0, 1) for i > j, P_ji = 1 − P_ij, μ = softmax(N(0, 1) logits), τ = η = 0.1
(the spec bench-perf's section (a) runs).

Prints one JSON object:
  small.loop_iterations_per_second   10 games × 1000 iterations at n = 10, one game after the
                                     other, exploitability max_y (Pπ)(y) − ½ recorded every iteration
  small.batched_iterations_per_second the same 10 games advanced together (a (10, n, n) stack),
                                     exploitability of each recorded every iteration
  large.n<N>.step_ms                 one Nash-MD step at n = N (median over K steps, nothing recorded)
  large.n<N>.gemv_ms                 one P @ q with NumPy's BLAS at n = N
and facts: numpy's version and BLAS.

Usage: scripts/peers/nashmd_numpy.py [--games 10] [--iterations 1000] [--sizes 1000,4096] [--repeats 3]
"""
import argparse
import json
import sys
import time

import numpy as np

TAU, ETA = 0.1, 0.1


def random_game(n, rng):
    """P_ij ~ U(0, 1) for i > j, P_ji = 1 − P_ij, P_ii = ½."""
    u = rng.uniform(size=(n, n))
    lower = np.tril(u, -1)
    return lower + np.triu(1.0 - lower.T, 1) + 0.5 * np.eye(n)


def reference(n, rng):
    z = rng.normal(size=n)
    return z - np.logaddexp.reduce(z)


def normalise(logits, axis=-1):
    return logits - np.logaddexp.reduce(logits, axis=axis, keepdims=True)


def run_loop(games, mus, iterations):
    """One game after the other; exploitability recorded every iteration."""
    gaps = np.empty((len(games), iterations))
    w = ETA * TAU
    for g, (p, log_mu) in enumerate(zip(games, mus)):
        log_pi = log_mu.copy()
        for t in range(iterations):
            mix = normalise((1 - w) * log_pi + w * log_mu)
            log_pi = normalise(mix + ETA * (p @ np.exp(mix)))
            gaps[g, t] = (p @ np.exp(log_pi)).max() - 0.5
    return gaps


def run_batched(games, mus, iterations):
    """All games advanced together; exploitability of each recorded every iteration."""
    p = np.stack(games)
    log_mu = np.stack(mus)
    log_pi = log_mu.copy()
    gaps = np.empty((len(games), iterations))
    w = ETA * TAU
    for t in range(iterations):
        mix = normalise((1 - w) * log_pi + w * log_mu)
        log_pi = normalise(mix + ETA * np.einsum("gij,gj->gi", p, np.exp(mix)))
        gaps[:, t] = np.einsum("gij,gj->gi", p, np.exp(log_pi)).max(axis=1) - 0.5
    return gaps


def median_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def large_step(n, rng, repeats):
    p = random_game(n, rng)
    log_mu = reference(n, rng)
    k = max(5, int(2e8 / (n * n)))
    w = ETA * TAU

    def steps():
        log_pi = log_mu.copy()
        for _ in range(k):
            mix = normalise((1 - w) * log_pi + w * log_mu)
            log_pi = normalise(mix + ETA * (p @ np.exp(mix)))
        return log_pi

    step = median_seconds(steps, repeats) / k
    q = np.full(n, 1.0 / n)
    reps = max(20, int(4e8 / (n * n)))
    gemv = median_seconds(lambda: [p @ q for _ in range(reps)], repeats) / reps
    return step, gemv


def blas_name():
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy without mode="dicts"
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=10)
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--sizes", default="1000,4096")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    games = [random_game(10, rng) for _ in range(a.games)]
    mus = [reference(10, rng) for _ in range(a.games)]
    total = a.games * a.iterations
    out = {"facts": {"numpy": np.__version__, "blas": blas_name(), "python": sys.version.split()[0]}, "figures": {}}
    f = out["figures"]
    f["small.loop_iterations_per_second"] = total / median_seconds(lambda: run_loop(games, mus, a.iterations), a.repeats)
    f["small.batched_iterations_per_second"] = total / median_seconds(lambda: run_batched(games, mus, a.iterations), a.repeats)
    for n in [int(s) for s in a.sizes.split(",") if s]:
        step, gemv = large_step(n, rng, a.repeats)
        f[f"large.n{n}.step_ms"] = step * 1e3
        f[f"large.n{n}.gemv_ms"] = gemv * 1e3
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
