"""Peer benchmark for BenchmarkMonteCarlo: the same 1k-node model and
10,000 draws, as a data scientist would write it with numpy — every node
evaluated as one whole-array operation.

    python3 rollup/testdata/mcbench/mc_numpy.py

Prints, like the Go benchmark, billions of derived-node evaluations per
second for evaluation alone and end to end (normal sampling, evaluation,
percentiles P5..P95 and the probability of meeting each output's target).
"""
import json
import os
import re
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
spec = json.load(open(os.path.join(HERE, "model1k.json")))
N = spec["draws"]
SD = spec["sd_fraction"]
nodes = spec["nodes"]

# Translate kpitree formulas to numpy expressions over arrays v[i].
def to_numpy(f):
    f = re.sub(r"\bn(\d+)\b", r"v[\1]", f)
    f = re.sub(r"\bmax\(", "np.maximum(", f)
    f = re.sub(r"\bmin\(", "np.minimum(", f)
    f = re.sub(r"\babs\(", "np.abs(", f)
    f = re.sub(r"\bsqrt\(", "np.sqrt(", f)
    return f

inputs = [(i, n["mean"]) for i, n in enumerate(nodes) if "formula" not in n]
derived = [(i, compile(to_numpy(n["formula"]), n["id"], "eval")) for i, n in enumerate(nodes) if "formula" in n]
outputs = [int(o[1:]) for o in spec["outputs"]]
targets = spec["targets"]
env = {"np": np}


def sample(rng, v):
    for i, mean in inputs:
        v[i] = rng.normal(mean, SD * mean, N)


def evaluate(v):
    env["v"] = v
    for i, code in derived:
        v[i] = eval(code, env)


def summarise(v):
    out = []
    for k, i in enumerate(outputs):
        x = v[i]
        q = np.percentile(x, [5, 10, 50, 90, 95])
        out.append((x.mean(), x.std(ddof=1), q, np.mean(x >= targets[k])))
    return out


def best(f, reps):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


rng = np.random.default_rng(1)
v = [None] * len(nodes)
sample(rng, v)
evaluate(v)  # warm up
evals = len(derived) * N
t_eval = best(lambda: evaluate(v), 20)


def end_to_end():
    w = [None] * len(nodes)
    sample(rng, w)
    evaluate(w)
    summarise(w)


t_e2e = best(end_to_end, 20)
print(f"numpy {np.__version__}: {len(nodes)} nodes ({len(derived)} derived), {N} draws")
print(f"eval-only   {t_eval*1e3:8.2f} ms  {evals/t_eval/1e9:6.3f} Gnode-evals/s")
print(f"end-to-end  {t_e2e*1e3:8.2f} ms  {evals/t_e2e/1e9:6.3f} Gnode-evals/s")
