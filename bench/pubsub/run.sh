#!/bin/bash
# The topic layer's benchmark: Bus/Topic over the udp transport against
# zeromq.js PUB/SUB (tcp loopback), fan-out, many topics, publish-to-receipt
# latency. One run, interleaved; see driver.mjs for the options.
#
#   npm run bench:pubsub [-- --quick] [-- --csv] [-- --only throughput,latency --sizes 64 --repeat 5 ...]
#   npm run bench:pubsub -- --kernel [driver options]
#       the same on kernel TIPC: the driver runs in one user-mode-linux guest
#       (test/kernel/vm/uml-run.sh; one vCPU, every process on its one node)
#       with --transport tipc; zeromq runs in the same guest.
#
# Builds dist/ (tsc), then runs bench/pubsub/driver.mjs (options passed through).
set -euo pipefail
cd "$(dirname "$0")/../.."

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
  TIPCVM_TIMEOUT=${TIPCVM_TIMEOUT:-1200} exec bash test/kernel/vm/uml-run.sh "$(command -v node)" bench/pubsub/driver.mjs --transport tipc "$@"
fi
exec node bench/pubsub/driver.mjs "$@"
