#!/bin/bash
# The request/reply benchmark: tipc-rx's Bus.request/Bus.serve against
# zeromq.js REQ/REP and a C request/reply floor, one request in flight and
# 50 requesters against 4 servers. One run, interleaved; see driver.mjs.
#
#   npm run bench:reqrep [-- --csv] [-- --repeat 5 --duration 3 --only one,many --impls tipcrx,zmq,c ...]
#   npm run bench:reqrep -- --kernel [driver options]
#       the same on kernel TIPC: the driver runs in one user-mode-linux guest
#       (test/kernel/vm/uml-run.sh; one vCPU, every process on its one node)
#       with --transport tipc; the C floor is bench/rdm's rdm_bench pong;
#       zeromq runs in the same guest.
#   TIPC_RX_DIST=/path/to/package-root npm run bench:reqrep
#       the tipc-rx case imports that package root's dist/ instead of this
#       one's (a branch not merged yet; see tipcrx-reqrep.mjs).
#
# Builds the C programs (gcc -> bench/reqrep/out/, bench/rdm/out/ for
# --kernel) and dist/ (tsc), then runs bench/reqrep/driver.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."

mkdir -p bench/reqrep/out
gcc -O2 -Wall -Wextra -pthread -o bench/reqrep/out/reqrep_clients bench/reqrep/c/reqrep_clients.c
gcc -O2 -Wall -Wextra -o bench/reqrep/out/udp_pingpong bench/transports/c/udp_pingpong.c

# dist/ is shared with the rest of the package; a type error elsewhere still
# emits JS, and the bench needs dist/core and dist/codecs only.
if ! npx tsc -p tsconfig.build.json >&2; then
  [ -f dist/core/index.js ] || { echo "bench: tsc failed and dist/core/index.js is missing" >&2; exit 1; }
  echo "bench: tsc reported errors; running with dist/ as emitted" >&2
fi
node -e "import('zeromq').catch(() => process.exit(1))" 2>/dev/null ||
  echo "bench: zeromq is not installed (devDependency; npm install): the zeromq baseline will be skipped" >&2

if [ "${1:-}" = --kernel ]; then
  shift
  mkdir -p bench/rdm/out
  gcc -O2 -Wall -Wextra -o bench/rdm/out/rdm_bench bench/rdm/c/rdm_bench.c
  [ -f build/Release/tipc_rx.node ] || npm run build:native
  # 4 servers and 5 requester processes of Node in one guest: more than the default 512 MB.
  TIPCVM_MEM=${TIPCVM_MEM:-2048M} TIPCVM_TIMEOUT=${TIPCVM_TIMEOUT:-1800} exec bash test/kernel/vm/uml-run.sh \
    "$(command -v node)" bench/reqrep/driver.mjs --transport tipc "$@"
fi
exec node bench/reqrep/driver.mjs "$@"
