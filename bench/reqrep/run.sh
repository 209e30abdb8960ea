#!/bin/bash
# The request/reply benchmark: tipc-rx request/reply over the udp transport
# (one in flight; 50 requesters against 4 servers) beside zeromq.js REQ/REP
# and a C UDP ping-pong, in one run, interleaved; see driver.mjs.
#
#   npm run bench:reqrep [-- --repeat 3 --count 20000 --warmup 2000 --csv]
#
# Builds the C ping-pong of bench/transports (gcc -> bench/reqrep/out/) and
# dist/ (tsc), then runs bench/reqrep/driver.mjs (options passed through).
set -euo pipefail
cd "$(dirname "$0")/../.."

mkdir -p bench/reqrep/out
gcc -O2 -Wall -Wextra -o bench/reqrep/out/udp_pingpong bench/transports/c/udp_pingpong.c
if ! npx tsc -p tsconfig.build.json >&2; then
  [ -f dist/core/index.js ] || { echo "bench: tsc failed and dist/core/index.js is missing" >&2; exit 1; }
  echo "bench: tsc reported errors; running with dist/ as emitted" >&2
fi
node -e "import('zeromq').catch(() => process.exit(1))" 2>/dev/null ||
  { echo "bench: zeromq is not installed (devDependency; npm install): the zeromq baseline is needed" >&2; exit 1; }
exec node bench/reqrep/driver.mjs "$@"
