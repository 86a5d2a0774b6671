#!/usr/bin/env bash
# Builds and runs the C side of the G.711 comparison (docs/BENCHMARKS.md) with gcc -O2.
#   benchmarks/run-c-bench.sh [seconds-per-run [runs-per-case]]   (defaults 1 s, 5 runs)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/target/c"
mkdir -p "$out"
gcc -O2 -std=c11 -Wall -o "$out/g711_bench" "$here/src/main/c/g711_bench.c" -lspandsp
echo "# gcc -O2: $(gcc --version | head -1)"
"$out/g711_bench" "${1:-1}" "${2:-5}"
