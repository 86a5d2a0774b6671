#!/usr/bin/env bash
# Summarises the measured iterations of a JMH run, read from its console log, per benchmark and
# sample count: iterations, median and best ns/op, and the same per sample. On a shared machine the
# median and the best iteration say more than the mean +- error alone (docs/BENCHMARKS.md).
#   java -jar benchmarks/target/benchmarks.jar G711Benchmark ... | tee g711.log
#   benchmarks/jmh-summary.sh g711.log
set -euo pipefail
awk '
    /^# Benchmark: /  { bench = $3; sub(/.*\./, "", bench); n = 1 }
    /^# Parameters: / { n = $0; sub(/.*samples = /, "", n); sub(/[,)].*/, "", n) }
    /^Iteration /     { print bench, n, $3 }
' "$@" | sort -k1,1 -k2,2n -k3,3g | awk '
    function flush() {
        if (count == 0) return
        median = (count % 2) ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
        printf "%-26s %6s %4d %12.1f %12.1f %10.3f %10.3f\n", key_b, key_n, count, median, v[1],
               median / key_n, v[1] / key_n
        count = 0
    }
    BEGIN { printf "%-26s %6s %4s %12s %12s %10s %10s\n", "benchmark", "n", "its", "median ns/op",
            "best ns/op", "median/smp", "best/smp" }
    $1 != key_b || $2 != key_n { flush(); key_b = $1; key_n = $2 }
    { v[++count] = $3 }
    END { flush() }
'
