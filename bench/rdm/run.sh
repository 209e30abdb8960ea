#!/bin/bash
# RDM throughput and ping-pong RTT: tipc-rx's bindings (JS) against a C
# reference with sendmmsg/recvmmsg, in ONE TIPC guest boot.
#
#   npm run bench:rdm [-- --csv] [-- --duration 2 --repeat 3 --sizes 64,1024 ...]
#
# Builds on the host: the C program (gcc -> bench/rdm/out/), the addon if it
# was never built, and dist/ (tsc). Then boots the guest once and runs
# bench/rdm/driver.mjs there (options are passed through; see its header).
set -euo pipefail
cd "$(dirname "$0")/../.."

mkdir -p bench/rdm/out
gcc -O2 -Wall -Wextra -o bench/rdm/out/rdm_bench bench/rdm/c/rdm_bench.c

[ -f build/Release/tipc_rx.node ] || npm run build:native
# dist/ is shared with the rest of the package; a type error elsewhere still
# emits JS, and the bench only needs dist/bindings.
if ! npx tsc -p tsconfig.build.json; then
  [ -f dist/bindings/index.js ] || { echo "bench: tsc failed and dist/bindings/index.js is missing" >&2; exit 1; }
  echo "bench: tsc reported errors; running with dist/ as emitted" >&2
fi

vm=test/kernel/vm/uml-run.sh
[ -f "$vm" ] || vm=/work/shared/reference/tipc-vm/uml-run.sh
[ -f "$vm" ] || { echo "bench: no uml-run.sh (test/kernel/vm/uml-run.sh)" >&2; exit 1; }
TIPCVM_TIMEOUT=${TIPCVM_TIMEOUT:-600} exec bash "$vm" "$(command -v node)" bench/rdm/driver.mjs \
  --c-bin bench/rdm/out/rdm_bench "$@"
