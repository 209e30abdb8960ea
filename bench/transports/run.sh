#!/bin/bash
# Transport benchmarks: udp transport throughput against zeromq.js PUB/SUB
# (tcp loopback), memory transport throughput, request/response RTT against
# node:dgram and C ping-pongs. One run, interleaved; see driver.mjs.
#
#   npm run bench:transports [-- --csv] [-- --duration 2 --repeat 3 --sizes 64,1024 --only udp,zmq ...]
#
# Builds the C ping-pong (gcc -> bench/transports/out/) and dist/ (tsc), then
# runs bench/transports/driver.mjs (options are passed through).
set -euo pipefail
cd "$(dirname "$0")/../.."

mkdir -p bench/transports/out
gcc -O2 -Wall -Wextra -o bench/transports/out/udp_pingpong bench/transports/c/udp_pingpong.c

# dist/ is shared with the rest of the package; a type error elsewhere still
# emits JS, and the bench needs dist/core only.
if ! npx tsc -p tsconfig.build.json >&2; then
  [ -f dist/core/index.js ] || { echo "bench: tsc failed and dist/core/index.js is missing" >&2; exit 1; }
  echo "bench: tsc reported errors; running with dist/ as emitted" >&2
fi
node -e "import('zeromq').catch(() => process.exit(1))" 2>/dev/null ||
  echo "bench: zeromq is not installed (devDependency; npm install): the zeromq baseline will be skipped" >&2

exec node bench/transports/driver.mjs "$@"
