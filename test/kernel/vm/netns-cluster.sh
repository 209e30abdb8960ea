#!/bin/sh
# Inside ONE guest kernel: an N-node TIPC cluster made of network namespaces.
#
#   netns-cluster.sh up N     create n1..nN, wait until all links are up
#   netns-cluster.sh down N   remove them (never fails; safe to repeat)
#
# TIPC is per network namespace, so each netns is a TIPC node of its own,
# with address 1.1.i. Each gets an eth0 (a veth) whose peer vbI is plugged
# into bridge br0 in the guest's root netns. The bridge matters: TIPC wants a
# full mesh of links, and with 3+ nodes only a shared L2 segment gives it.
# Run a program on node i with `ip netns exec nI prog` (test/kernel/cluster.ts
# does that for tests).
#
# Know the limit: nodes in one kernel hand data to each other directly
# (tipc_lxc_xmit), not over the link. Name distribution, topology events,
# link up/down and multicast are real; link retransmission, fragmentation on
# the wire and congestion are not: two-guests.sh is for those.
#
# Needs: root, the tipc/veth/bridge modules (guest-init.sh loads them) and a
# writable /run (ip netns; tmpfs in the guest).
set -e
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:-} n=${2:-3}
case $n in ''|*[!0-9]*) echo "netns-cluster: N must be a number" >&2; exit 2 ;; esac

down() {
  for i in $(seq 1 "$n"); do ip netns del "n$i" 2>/dev/null || true; done
  ip link del br0 2>/dev/null || true
}

case $cmd in
up)
  # A test that crashed before its `down` must not break the next one.
  down
  ip link add br0 type bridge
  ip link set br0 up
  for i in $(seq 1 "$n"); do
    ip netns add "n$i"
    ip link add "vb$i" type veth peer name eth0 netns "n$i"
    ip link set "vb$i" master br0 up
    ip -n "n$i" link set lo up
    ip -n "n$i" link set eth0 up
    # The address must be set before the bearer is enabled. The legacy
    # Z.C.N form brought links up ~1 s sooner than `set identity NAME`.
    ip netns exec "n$i" tipc node set address "1.1.$i"
    ip netns exec "n$i" tipc bearer enable media eth device eth0
  done
  # Ready = every node has n-1 peer links + the broadcast link up.
  for i in $(seq 1 "$n"); do
    ip netns exec "n$i" "$here/wait-links.sh" "$n" "${TIPCVM_LINK_TIMEOUT:-15}" ||
      { echo "netns-cluster: node n$i: links did not come up" >&2; exit 1; }
  done
  ;;
down) down ;;
*) echo "usage: $0 up N | down N" >&2; exit 2 ;;
esac
