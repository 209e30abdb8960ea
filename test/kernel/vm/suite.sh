#!/bin/bash
# Guest side of run.sh: run kernel test files one after another, in this one
# boot, and report each with its time. Exit 1 if any file failed.
#
#   suite.sh node FILE.js...   precompiled tap test files, each run as
#                              `node FILE` (a tap test file is a program that
#                              prints TAP and exits non-zero on failure)
#   suite.sh tap FILE.ts...    the same files from source, through tap's
#                              runner and its TypeScript loader (slower)
#
# Why `node` by default: in the 1-vCPU guest tap's runner costs seconds per
# file, and every child process a test spawns inherits tap's loaders
# (ts-node, mock, processinfo) through execArgv: the cluster tests spawn a
# dozen node processes and ran 4x slower that way (measured in run.sh's docs).
set -u
mode=$1; shift
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk "BEGIN { printf \"%.1f\", $(now) - $1 }"; }
export TIPC_RX_KERNEL=1
suite_start=$(now)

if [ "$mode" = tap ]; then
  node_modules/.bin/tap --disable-coverage --reporter="${TIPC_RX_KERNEL_REPORTER:-tap}" \
    --jobs=1 --timeout="${TIPC_RX_KERNEL_FILE_TIMEOUT:-180}" "$@"
  rc=$?
  echo "# kernel suite (tap): rc=$rc in $(elapsed "$suite_start") s"
  exit $rc
fi

failed=() summary=()
for f in "$@"; do
  name=${f##*/test/kernel/}
  echo "# ---- $name"
  start=$(now)
  # timeout: a hung test must not hold the whole boot until TIPCVM_TIMEOUT.
  timeout -k 5 "${TIPC_RX_KERNEL_FILE_TIMEOUT:-180}" node "$f"
  rc=$?
  t=$(elapsed "$start")
  if [ $rc = 0 ]; then summary+=("ok      ${t}s  $name")
  else summary+=("not ok  ${t}s  $name (exit $rc$([ $rc = 124 ] && echo ', timed out'))"); failed+=("$name"); fi
  # A file that died before its withCluster cleanup must not leave its
  # cluster to the next one (netns-cluster.sh up also cleans, belt and braces).
  ip netns list 2>/dev/null | grep -q . && test/kernel/vm/netns-cluster.sh down 16 >/dev/null 2>&1
done
echo "# ---- kernel suite: $(($# - ${#failed[@]})) of $# files passed in $(elapsed "$suite_start") s"
printf '#   %s\n' "${summary[@]}"
[ ${#failed[@]} = 0 ]
