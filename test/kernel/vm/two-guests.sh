#!/bin/bash
# Two UML guests = two TIPC nodes with separate kernels, joined by a veth
# pair on the host. Each guest attaches one end of the pair as its ethernet
# device vec0 (UML's vector driver, raw transport), so TIPC data really
# crosses a link: fragmentation, retransmission, congestion, and `tc netem`
# loss inside a guest all happen for real, unlike netns nodes in one kernel.
#
#   two-guests.sh 'command for node 1' 'command for node 2'
#
# Each command is a bash command line, run in $PWD inside its guest (see
# uml-run.sh for the environment). Before it runs, TIPC is set up: address
# 1.1.N, bearer on vec0; $TIPCVM_NODE is N (1 or 2). The link to the peer
# may not be up yet: wait for it (test/kernel/vm/wait-links.sh 2 SECONDS).
# Output lines are prefixed [node1] / [node2]. Exit code: 0 when both
# commands succeed; otherwise 1 (each node's code is printed).
#
# If one node fails, the other is given TIPCVM_PEER_GRACE seconds (default
# 15) to finish, then stopped, instead of waiting for the full timeout.
# TIPCVM_TIMEOUT (default here 300) bounds each guest.
#
# Pausing a guest (as a long GC pause or SIGSTOP would pause a node): the
# directory $TIPCVM_PAUSE_DIR (a host dir, mounted read-write in both
# guests) is watched by the host. A guest that writes ID.request there (by
# rename, so it is never seen half-written) containing the line
#   node=N ms=M
# gets guest N stopped for M milliseconds (at most 60000): the host SIGSTOPs
# the guest's UML kernel process and its helper processes, writes
# ID.stopped ("stopped=EPOCH processes=K"), sleeps, SIGCONTs them and writes
# ID.done ("stopped=EPOCH continued=EPOCH"); EPOCH is the host's wall clock
# in seconds. A request it cannot serve gets ID.failed with the reason.
# The guest's own processes (UML runs each as a host process ptraced by
# the kernel process) are not signalled: a SIGSTOP would reach UML as a
# signal stop of its tracee, which it treats as fatal; they run only when
# the stopped kernel process resumes them, so the whole guest stands still.
# test/kernel/two-guest/lib/host-pause.ts is the guest side.
#
# Needs root on the host (it creates the veth pair, and UML opens it with a
# raw socket). Network hygiene: the pair has no addresses, IPv6 off on both
# ends, nothing else is attached to it, and it is deleted on exit.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 'command for node 1' 'command for node 2'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "two-guests: needs root (creates a host veth pair)" >&2; exit 2; }

# Interface names: at most 15 characters, unique per run.
a="tgv$$a" b="tgv$$b"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/two-guests.XXXXXX")
p1= p2= watcher=
cleanup() {
  # The watcher first: its TERM trap resumes a guest it holds stopped, and a
  # stopped guest would not act on the kill below.
  [ -n "$watcher" ] && kill "$watcher" 2>/dev/null && wait "$watcher" 2>/dev/null
  for p in $p1 $p2; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  ip link del "$a" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

ip link add "$a" type veth peer name "$b" || { echo "two-guests: cannot create veth pair" >&2; exit 1; }
for i in "$a" "$b"; do
  # No IPv6 link-local address, no router solicitations: only TIPC frames
  # from the guests travel on the pair.
  sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
  ip link set "$i" up
done

# Guest side, before the node's command. The address must be set before the
# bearer is enabled. IPv6 off on vec0 for the same reason as on the host.
pre='sysctl -qw net.ipv6.conf.vec0.disable_ipv6=1 2>/dev/null; ip link set vec0 up &&
tipc node set address 1.1.$TIPCVM_NODE && tipc bearer enable media eth device vec0 || exit 99
'
export TIPCVM_TIMEOUT=${TIPCVM_TIMEOUT:-300}
# The pause channel (see the header), mounted in both guests at this path.
export TIPCVM_PAUSE_DIR="$tmp/pause"
mkdir "$TIPCVM_PAUSE_DIR"
export TIPCVM_RW="$TIPCVM_PAUSE_DIR${TIPCVM_RW:+:$TIPCVM_RW}"
start_node() { # n ifname command -> sets pid in p<n>
  TIPCVM_NODE=$1 TIPCVM_UML_ARGS="vec0:transport=raw,ifname=$2" \
    "$here/uml-run.sh" bash -c "$pre$3" >"$tmp/node$1.log" 2>&1 &
  local pid=$!
  # Stream the log with a prefix; ends by itself when the guest's runner does.
  tail -n +1 -s 0.2 -f --pid="$pid" "$tmp/node$1.log" | sed -u "s/^/[node$1] /" &
  eval "p$1=$pid"
}
: >"$tmp/node1.log"; : >"$tmp/node2.log"
start_node 1 "$a" "$1"
start_node 2 "$b" "$2"
"$here/pause-watcher.sh" "$TIPCVM_PAUSE_DIR" "$p1" "$p2" &
watcher=$!

declare -A rc=()
while [ ${#rc[@]} -lt 2 ]; do
  pending=()
  for n in 1 2; do [ -z "${rc[$n]:-}" ] && pending+=("$(eval echo "\$p$n")"); done
  wait -n -p done "${pending[@]}"; code=$?
  [ "$done" = "$p1" ] && n=1 || n=2
  rc[$n]=$code
  if [ "$code" != 0 ] && [ ${#rc[@]} -lt 2 ]; then
    other=$((3 - n)); op=$(eval echo "\$p$other")
    echo "two-guests: node$n failed (rc=$code); giving node$other ${TIPCVM_PEER_GRACE:-15}s" >&2
    for ((k = 0; k < ${TIPCVM_PEER_GRACE:-15} * 5; k++)); do
      kill -0 "$op" 2>/dev/null || break
      sleep 0.2
    done
    kill "$op" 2>/dev/null   # uml-run.sh's TERM trap stops its guest
    wait "$op"; rc[$other]=$?
  fi
done
p1= p2=
wait   # the log streams
echo "two-guests: node1 rc=${rc[1]} node2 rc=${rc[2]}"
[ "${rc[1]}" = 0 ] && [ "${rc[2]}" = 0 ]
