#!/usr/bin/env python3
"""Writes the SYNTHETIC battles fixture synthetic-battles.csv and its JSON Lines twin.

Nothing here is real data: six invented models (syn-alpha ... syn-foxtrot) and two invented
judges, with vote counts written below by hand. syn-alpha > syn-bravo > syn-charlie > syn-alpha
is a majority cycle (judge-1 holds it; judge-2 ranks the three transitively, alpha first);
syn-delta beats syn-echo and syn-foxtrot, which are never compared with each other.
Deterministic: run `python3 Experiments/data/make_synthetic_battles.py` from the repository root.
"""
import json
import os

MODELS = ["syn-alpha", "syn-bravo", "syn-charlie", "syn-delta", "syn-echo", "syn-foxtrot"]
# (first, second): {judge: (first wins, second wins, tie, tie (bothbad))}
COUNTS = {
    ("syn-alpha", "syn-bravo"): {"judge-1": (7, 2, 1, 0), "judge-2": (5, 4, 1, 0)},
    ("syn-bravo", "syn-charlie"): {"judge-1": (6, 3, 1, 0), "judge-2": (5, 4, 0, 1)},
    ("syn-charlie", "syn-alpha"): {"judge-1": (6, 3, 0, 1), "judge-2": (4, 5, 1, 0)},
    ("syn-alpha", "syn-delta"): {"judge-1": (6, 3, 1, 0), "judge-2": (5, 2, 0, 0)},
    ("syn-bravo", "syn-delta"): {"judge-1": (6, 4, 0, 0), "judge-2": (4, 2, 1, 0)},
    ("syn-charlie", "syn-delta"): {"judge-1": (5, 4, 1, 0), "judge-2": (4, 3, 0, 0)},
    ("syn-alpha", "syn-echo"): {"judge-1": (8, 1, 1, 0), "judge-2": (6, 1, 0, 0)},
    ("syn-bravo", "syn-echo"): {"judge-1": (7, 2, 0, 1), "judge-2": (5, 2, 0, 0)},
    ("syn-charlie", "syn-echo"): {"judge-1": (7, 3, 0, 0), "judge-2": (5, 1, 1, 0)},
    ("syn-delta", "syn-echo"): {"judge-1": (6, 3, 1, 0), "judge-2": (4, 2, 0, 1)},
    ("syn-alpha", "syn-foxtrot"): {"judge-1": (9, 1, 0, 0), "judge-2": (6, 1, 0, 0)},
    ("syn-bravo", "syn-foxtrot"): {"judge-1": (8, 1, 1, 0), "judge-2": (5, 1, 0, 0)},
    ("syn-charlie", "syn-foxtrot"): {"judge-1": (8, 2, 0, 0), "judge-2": (6, 2, 0, 0)},
    ("syn-delta", "syn-foxtrot"): {"judge-1": (7, 2, 0, 1), "judge-2": (4, 3, 0, 0)},
}


def votes():
    """Every vote in file order; the k-th vote of a (pair, judge) swaps sides when k is odd."""
    for (first, second), by_judge in COUNTS.items():
        for judge in ("judge-1", "judge-2"):
            w1, w2, tie, bad = by_judge[judge]
            outcomes = ["first"] * w1 + ["second"] * w2 + ["tie"] * tie + ["tie (bothbad)"] * bad
            for k, o in enumerate(outcomes):
                a, b = (first, second) if k % 2 == 0 else (second, first)
                if o == "first":
                    winner = "model_a" if a == first else "model_b"
                elif o == "second":
                    winner = "model_a" if a == second else "model_b"
                else:
                    winner = o
                yield {"model_a": a, "model_b": b, "winner": winner, "judge": judge, "turn": 1 + k % 3}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rows = list(votes())
    with open(os.path.join(here, "synthetic-battles.csv"), "w", newline="") as f:
        f.write("model_a,model_b,winner,judge,turn\n")
        for r in rows:
            f.write(f'{r["model_a"]},{r["model_b"]},{r["winner"]},{r["judge"]},{r["turn"]}\n')
    with open(os.path.join(here, "synthetic-battles.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
