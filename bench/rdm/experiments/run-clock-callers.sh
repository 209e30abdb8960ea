#!/bin/bash
# Experiment, not part of the package: who reads the clock in the JS RDM
# sender (borrowed mode, 64 B, against the C receiver), in the TIPC guest.
# Builds clock-callers.c into bench/rdm/out/ (ignored), boots the guest once,
# and prints the callers with the most clock_gettime calls (the process's
# whole life: start-up's compile timers included) and the sender's line.
#
#   bash bench/rdm/experiments/run-clock-callers.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p bench/rdm/out
gcc -O2 -Wall -o bench/rdm/out/rdm_bench bench/rdm/c/rdm_bench.c
gcc -O2 -Wall -shared -fPIC -o bench/rdm/out/clock-callers.so bench/rdm/experiments/clock-callers.c -ldl -lpthread
[ -f dist/bindings/index.js ] || npx tsc -p tsconfig.build.json
rm -f bench/rdm/out/clock-send.txt.*
if [ "${1:-}" != --in-guest ]; then
  vm=test/kernel/vm/uml-run.sh
  TIPCVM_TIMEOUT=120 bash "$vm" /bin/bash bench/rdm/experiments/run-clock-callers.sh --in-guest
  for f in bench/rdm/out/clock-send.txt.*; do
    echo "clock_gettime calls in all: $(awk '{s += $1} END {print s}' "$f")"
    sort -rn "$f" | head -8 | cut -c1-200
  done
  exit 0
fi
bench/rdm/out/rdm_bench recv --type 500000 --size 64 --window 256 --batch 64 > /dev/null &
sleep 0.5
CGCOUNT_OUT=bench/rdm/out/clock-send.txt LD_PRELOAD=$PWD/bench/rdm/out/clock-callers.so \
  node bench/rdm/rdm-bench.mjs send --type 500000 --size 64 --window 256 --batch 64 --duration 2 --receive borrowed
wait
