#!/bin/bash
# Guest side of run.sh: run test files one after another in this one boot,
# in groups, and report each file with its time. Exit 1 if any file failed.
#
#   suite.sh MODE ITEM...
#
# MODE node: each file is a precompiled tap test file, run as `node FILE`
#            (a tap test file is a program: it prints TAP and exits non-zero
#            on failure).
# MODE tap:  each group's files (from source) go through tap's runner and its
#            TypeScript loader: tap's reporting, but much slower.
# ITEMs, in order:
#   @group=NAME   start a group (a label in the report); ends any netns cluster.
#                 With TIPC_RX_KERNEL_QUEUE set (a host dir shared, read-write,
#                 by every boot of one run), a group runs only in the boot
#                 that claims it first (mkdir QUEUE/N, atomic on the host), so
#                 boots given the same plan share its groups as they go: a
#                 boot that finishes a group early takes the next one instead
#                 of idling beside a fixed split
#   @netns=N      for the rest of the group: a netns cluster of N nodes is up
#                 (netns-cluster.sh up N) and TIPC_RX_NETNS=n1,..,nN is set,
#                 which the conformance suite's tipc cluster uses
#   FILE          a test file
#
# Why `node` by default: in the 1-vCPU guest tap's runner costs seconds per
# file, and every child process a test spawns inherits tap's loaders
# (ts-node, mock, processinfo) through execArgv. Measured on the first 11
# kernel test files: 162-192 s through tap, 53 s with plain node.
set -u
mode=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk "BEGIN { printf \"%.1f\", $(now) - $1 }"; }
export TIPC_RX_KERNEL=1
# The conformance files run their memory and udp variants in npm test on the
# host; here only the kernel's own transport is new.
export TIPC_RX_CONFORMANCE_KINDS=${TIPC_RX_CONFORMANCE_KINDS:-tipc}
# The CLI's end-to-end tests likewise: their processes meet on kernel TIPC.
export TIPC_RX_CLI_TEST_TRANSPORT=${TIPC_RX_CLI_TEST_TRANSPORT:-tipc}
suite_start=$(now)
# Give the guest's own TIPC node (root netns) an address, as every real node
# has: without one its node id is 0 until a bearer is enabled. 1.1.100 stays
# clear of the netns nodes 1.1.1..N, and the root netns has no bearer, so it
# never joins their cluster.
tipc node set address "${TIPC_RX_GUEST_ADDRESS:-1.1.100}" ||
  echo "# could not set the guest's TIPC address" >&2
# Guest memory high-water mark, sampled every second: UML's RAM is a file
# on the host's /dev/shm, and a page the guest touched once stays allocated
# there, so this is about what the suite costs the host.
mem_used() { awk '/^MemTotal:/ { t = $2 } /^MemFree:/ { f = $2 } END { print int((t - f) / 1024) }' /proc/meminfo; }
( peak=0; while :; do m=$(mem_used); [ "$m" -gt "$peak" ] && peak=$m && echo "$peak" >/tmp/mem-peak; sleep 1; done ) &
sampler=$!
group=tests netns=0 total=0 claimed=1 ngroup=0
failed=() summary=() tapfiles=()
queue=${TIPC_RX_KERNEL_QUEUE:-}

claim() { # -> 0 if this boot runs the next group
  ngroup=$((ngroup + 1))
  [ -z "$queue" ] || mkdir "$queue/$ngroup" 2>/dev/null
}

cluster_down() {
  "$here/netns-cluster.sh" down 16 >/dev/null 2>&1
  unset TIPC_RX_NETNS
}
cluster_up() {
  local names=()
  for i in $(seq 1 "$netns"); do names+=("n$i"); done
  if "$here/netns-cluster.sh" up "$netns"; then
    TIPC_RX_NETNS=$(IFS=,; echo "${names[*]}"); export TIPC_RX_NETNS
  else
    echo "# netns cluster of $netns did not come up" >&2
    return 1
  fi
}
cluster_ok() { [ "$(ip netns list 2>/dev/null | grep -c '^n[0-9]')" -ge "$netns" ]; }

result() { # rc seconds name
  total=$((total + 1))
  if [ "$1" = 0 ]; then summary+=("ok      $(printf '%6s' "$2")s  $3")
  else summary+=("not ok  $(printf '%6s' "$2")s  $3 (exit $1$([ "$1" = 124 ] && echo ', timed out'))"); failed+=("$3"); fi
}

# tap mode: one tap run per group.
flush_tap() {
  [ ${#tapfiles[@]} -gt 0 ] || return 0
  local start; start=$(now)
  node_modules/.bin/tap --disable-coverage --reporter="${TIPC_RX_KERNEL_REPORTER:-tap}" \
    --jobs=1 --timeout="${TIPC_RX_KERNEL_FILE_TIMEOUT:-360}" "${tapfiles[@]}"
  result $? "$(elapsed "$start")" "$group (${#tapfiles[@]} files, tap)"
  tapfiles=()
}

run_file() {
  local f=$1 name start rc
  name="$group: ${f##*/test/}"
  if [ "$netns" -gt 0 ] && ! cluster_ok; then
    echo "# the netns cluster is gone; bringing it up again"
    cluster_up || { result 1 0 "$name (no cluster)"; return; }
  fi
  echo "# ---- $name"
  start=$(now)
  # timeout: a hung test must not hold the whole boot until TIPCVM_TIMEOUT.
  # TAP_TIMEOUT: a tap file run by plain node gives each test 30 s by
  # default; in the 1-vCPU guest on a busy host the 3-node cluster test has
  # taken 30.5 s, so the file's own bound is the only one.
  TAP_TIMEOUT="${TIPC_RX_KERNEL_FILE_TIMEOUT:-360}" timeout -k 5 "${TIPC_RX_KERNEL_FILE_TIMEOUT:-360}" node "$f"
  rc=$?
  result $rc "$(elapsed "$start")" "$name"
  # Outside a netns group, a file that died before its own cleanup must not
  # leave its cluster to the next file.
  if [ "$netns" = 0 ] && ip netns list 2>/dev/null | grep -q .; then cluster_down; fi
}

for item in "$@"; do
  case $item in
  @group=*)
    [ "$mode" = tap ] && flush_tap
    [ "$netns" -gt 0 ] && cluster_down
    group=${item#@group=} netns=0
    if claim; then claimed=1; echo "# ======== $group"; else claimed=0; fi
    ;;
  @netns=*)
    [ $claimed = 1 ] || continue
    [ "$mode" = tap ] && flush_tap
    netns=${item#@netns=}
    cluster_up || result 1 0 "$group: netns cluster of $netns"
    ;;
  *)
    [ $claimed = 1 ] || continue
    if [ "$mode" = tap ]; then tapfiles+=("$item"); else run_file "$item"; fi
    ;;
  esac
done
[ "$mode" = tap ] && flush_tap
[ "$netns" -gt 0 ] && cluster_down

kill "$sampler" 2>/dev/null
echo "# ======== kernel suite: $((total - ${#failed[@]})) of $total passed in $(elapsed "$suite_start") s" \
  "(guest memory peak $(cat /tmp/mem-peak 2>/dev/null || echo '?') MiB of $(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024)))"
printf '#   %s\n' "${summary[@]}"
[ ${#failed[@]} = 0 ]
