#!/bin/bash
# Experiment, not part of the package: the same benchmark against a copy of
# the addon whose receive path reuses ONE ArrayBuffer for every batch
# (reuse-receive-buffer.patch) instead of allocating a fresh one per batch.
# It breaks the bindings' contract (views stay valid after the callback), so
# it only measures what a "borrowed batch" receive mode could gain.
# The copy lives in bench/rdm/out/exp (ignored); bindings/ is not touched.
#
#   bash bench/rdm/experiments/run-reuse.sh [driver options]   e.g. --only js --repeat 3
set -euo pipefail
cd "$(dirname "$0")/../../.."
exp=bench/rdm/out/exp
rm -rf "$exp"
mkdir -p "$exp/bindings" "$exp/dist"
[ -f dist/bindings/index.js ] || npx tsc -p tsconfig.build.json || true
cp binding.gyp "$exp/"
cp -r bindings/src "$exp/bindings/"
cp -r dist/bindings "$exp/dist/"
patch -s -d "$exp" -p1 < bench/rdm/experiments/reuse-receive-buffer.patch
(cd "$exp" && npx node-gyp rebuild >build.log 2>&1) || { tail -20 "$exp/build.log"; exit 1; }
TIPCRX_BENCH_BINDINGS="$PWD/$exp/dist/bindings/index.js" exec bash bench/rdm/run.sh "$@"
