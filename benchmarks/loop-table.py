#!/usr/bin/env python3
"""Turns MediaLoopBenchmark's JMH JSON (-rf json) into the rows of docs/BENCHMARKS.md
"Concurrent media channels": one row per measured iteration of each (channels, agents).

JMH's own summary adds the @AuxCounters(EVENTS) figures of all iterations and forks together (a
p99 of 3 iterations is printed as the sum of the 3), so with -i or -f above 1 read the figures
here, from each iteration's raw value.

    java -jar benchmarks/target/benchmarks.jar 'MediaLoopBenchmark.run' ... -rf json -rff loop.json
    python3 benchmarks/loop-table.py loop.json
"""
import json
import sys

MEASURE_S = 10  # MediaLoopBenchmark.MEASURE_S: seconds measured per iteration


def us(v):
    return f"{v / 1000:.2f} ms" if v >= 10_000 else f"{v:.0f} us"


def main(paths):
    print("| channels | agents | it | CPU all / busiest | CPU per frame | B per frame | frames "
          "| sent p50 / p99 / p99.9 | at peer p50 / p99 / p99.9 | tick p99 | send jitter p50 / p99 / p99.9 "
          "| underruns (catch-up) | GCs |")
    print("|---:|---:|---:|---|---:|---:|---:|---|---|---:|---|---:|---:|")
    for path in paths:
        with open(path) as f:
            runs = json.load(f)
        for run in runs:
            if not run["benchmark"].endswith("MediaLoopBenchmark.run"):
                continue
            p = run["params"]
            m = run["secondaryMetrics"]
            n = int(p["channels"])

            def raw(name):
                # rawData: one list per fork, one value per measured iteration
                return [v for fork in m[name]["rawData"] for v in fork] if name in m else []

            its = len(raw("p99Us"))
            gcs = raw("gc.count") or [float("nan")] * its
            for i in range(its):
                def g(name):
                    return raw(name)[i]

                frames = g("framesDelivered")
                print(f"| {n} | {p['agents']} | {i + 1} "
                      f"| {g('agentCpuPercent'):.1f} % / {g('busiestAgentCpuPercent'):.1f} % "
                      f"| {g('agentCpuUsPerFrame'):.2f} us | {g('agentAllocatedBytesPerFrame'):.4f} "
                      f"| {100 * frames / (n * 50 * MEASURE_S):.0f}% "
                      f"| {us(g('sentP50Us'))} / {us(g('sentP99Us'))} / {us(g('sentP999Us'))} "
                      f"| {us(g('p50Us'))} / {us(g('p99Us'))} / {us(g('p999Us'))} "
                      f"| {us(g('tickSentP99Us'))} "
                      f"| {us(g('sendJitterP50Us'))} / {us(g('sendJitterP99Us'))} / {us(g('sendJitterP999Us'))} "
                      f"| {g('spanUnderruns'):.0f} ({g('spanCatchUpUnderruns'):.0f}) | {gcs[i]:.0f} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: loop-table.py LOOP.json [MORE.json ...]")
    main(sys.argv[1:])
