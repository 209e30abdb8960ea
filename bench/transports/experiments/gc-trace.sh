#!/bin/bash
# Experiment, not part of the package: one udp-bench throughput pair (recv,
# then send 1 s later, 3 s each, a random cluster id) with node flags for the
# RECEIVER only, then what the receiver's V8 did: messages per second,
# mark-compacts and scavenges, and the milliseconds they took on the main
# thread (--trace-gc is always added).
#
#   bash bench/transports/experiments/gc-trace.sh SIZE [receiver node flags...]
#   e.g. gc-trace.sh 61440    gc-trace.sh 8192 --trace-incremental-marking
set -euo pipefail
cd "$(dirname "$0")/../../.."
size=$1; shift
out=$(mktemp -d)
cluster=$((RANDOM % 30000 + 1000))
node --trace-gc "$@" bench/transports/udp-bench.mjs recv --size "$size" --cluster $cluster --duration 3 >"$out/recv" 2>&1 &
recv=$!
sleep 1
node bench/transports/udp-bench.mjs send --size "$size" --cluster $cluster --duration 3 >"$out/send" 2>&1
wait $recv
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")
  const r = JSON.parse(lines.pop())
  let mc = 0, mcMs = 0, inc = 0, sc = 0, scMs = 0
  for (const l of lines) {
    let m = /Mark-Compact .*MB, ([\d.]+) \/ [\d.]+ ms\s+\(\+ ([\d.]+) ms/.exec(l)
    if (m) { mc++; mcMs += +m[1]; inc += +m[2]; continue }
    m = /Scavenge .*MB, ([\d.]+) \//.exec(l)
    if (m) { sc++; scMs += +m[1] }
  }
  console.log(JSON.stringify({ size: r.size, msgsPerSec: Math.round(r.msgsPerSec), markCompacts: mc, markCompactMs: +mcMs.toFixed(1),
    incrementalMs: +inc.toFixed(1), scavenges: sc, scavengeMs: +scMs.toFixed(1), cpuUser: r.cpuUser, cpuSys: r.cpuSys, minflt: r.minflt }))
' "$out/recv"
[ -z "${KEEP:-}" ] && rm -rf "$out" || echo "receiver output: $out/recv"
