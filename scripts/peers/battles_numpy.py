#!/usr/bin/env python3
"""Independent numpy/scipy reference values for Tests/EnvironmentsTests/BattlesEnvironmentTests.swift.

Reads Experiments/data/synthetic-battles.csv with Python's csv module (not the package's reader),
fits the Bradley-Terry log-likelihood sum_v y log s(r_a - r_b) + (1 - y) log s(r_b - r_a)
(y = 1, 0, 1/2 for a tie) with scipy.optimize (BFGS) then Newton steps with numpy.linalg.pinv,
centres the ratings, and prints: ratings, sandwich SEs (pinv(A) B pinv(A)), covariance entries,
sigma(r_i - r_j), the accuracy comparison, and a nonparametric bootstrap over votes
(numpy.random.default_rng(0), 2000 replicates). Run from the repository root:
    python3 scripts/peers/battles_numpy.py
"""
import csv

import numpy as np
import scipy.optimize as so

rows = list(csv.DictReader(open("Experiments/data/synthetic-battles.csv")))
models = sorted({r["model_a"] for r in rows} | {r["model_b"] for r in rows})
idx = {m: i for i, m in enumerate(models)}
n, N = len(models), len(rows)
A = np.array([idx[r["model_a"]] for r in rows])
B = np.array([idx[r["model_b"]] for r in rows])
y = np.array([1.0 if r["winner"] == "model_a" else 0.0 if r["winner"] == "model_b" else 0.5 for r in rows])
X = np.zeros((N, n))
X[np.arange(N), A] = 1
X[np.arange(N), B] = -1


def newton(Xv, yv, r):
    for _ in range(50):
        s = 1 / (1 + np.exp(-(Xv @ r)))
        g = -Xv.T @ (yv - s)
        H = (Xv * (s * (1 - s))[:, None]).T @ Xv
        r = r - np.linalg.pinv(H) @ g
        r -= r.mean()
    return r


def nll(r):
    z = X @ r
    return -np.sum(y * -np.logaddexp(0, -z) + (1 - y) * -np.logaddexp(0, z))


r = so.minimize(nll, np.zeros(n), method="BFGS").x
r = newton(X, y, r - r.mean())
s = 1 / (1 + np.exp(-(X @ r)))
print("gradient", float(np.abs(X.T @ (y - s)).max()))
Ah = (X * (s * (1 - s))[:, None]).T @ X
G = X * (y - s)[:, None]
C = np.linalg.pinv(Ah) @ (G.T @ G) @ np.linalg.pinv(Ah)
print("ratings", [float(x) for x in r])
print("se", [float(x) for x in np.sqrt(np.diag(C))])
print("C[0,1]", float(C[0, 1]), "C[2,5]", float(C[2, 5]))
Pbt = 1 / (1 + np.exp(-(r[:, None] - r[None, :])))
print("P_BT[0,1]", float(Pbt[0, 1]), "P_BT[4,5]", float(Pbt[4, 5]))

W = np.zeros((n, n))
V = np.zeros((n, n))
for a, b, yy in zip(A, B, y):
    W[a, b] += yy
    W[b, a] += 1 - yy
    V[a, b] += 1
    V[b, a] += 1
pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if V[i, j] > 0]
P = W / np.where(V > 0, V, 1)
majority = sum(max(W[i, j], W[j, i]) for i, j in pairs) / N
bt = sum(W[i, j] if Pbt[i, j] > 0.5 else W[j, i] for i, j in pairs) / N
diffs = [(float(abs(P[i, j] - Pbt[i, j])), i, j) for i, j in pairs]
print("majority accuracy", float(majority), "BT accuracy", float(bt))
print("max |P - P_BT|", max(diffs), "weighted mean", float(sum(V[i, j] * abs(P[i, j] - Pbt[i, j]) for i, j in pairs) / N))

rng = np.random.default_rng(0)
boot = np.array([newton(X[k], y[k], np.zeros(n)) for k in (rng.integers(0, N, N) for _ in range(2000))])
print("bootstrap sd", [float(x) for x in boot.std(axis=0, ddof=1)])
print("bootstrap 2.5%, 97.5%", np.quantile(boot, [0.025, 0.975], axis=0).tolist())
print("type-7 quantiles", float(np.quantile([1, 2, 3, 4], 0.1)), float(np.quantile([0.5, -1, 3, 2, 7], 0.975)))
