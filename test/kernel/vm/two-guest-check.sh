#!/bin/sh
# The two-guest sanity check, run in both guests by run.sh before the
# two-guest scripts: proves the pair works, or fails loudly.
#  - the TIPC link to the peer guest comes up (over the host veth pair);
#  - on node 1, a netem qdisc (10% loss) can be added to vec0 and removed,
#    so the loss tests have what they need.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
me=${TIPCVM_NODE:?TIPCVM_NODE not set: run me through two-guests.sh}
peer=$((3 - me))
# Link names are <own addr>:<if>-<peer addr>:<if>; 1.1.N is 0x0100100N.
peer_link="1001001:vec0-100100$peer:vec0"
[ "$me" = 1 ] || peer_link="100100$me:vec0-1001001:vec0"
"$here/wait-links.sh" 2 "${TIPCVM_LINK_TIMEOUT:-20}"
tipc link list
tipc link list | grep -qx "$peer_link: up" || {
  echo "two-guest-check: no link $peer_link up" >&2; exit 1; }
echo "node $me: link to node $peer up after $(cut -d' ' -f1 /proc/uptime)s of guest uptime"
if [ "$me" = 1 ]; then
  tc qdisc add dev vec0 root netem loss 10%
  tc qdisc show dev vec0 | grep 'netem.*loss 10%'
  tc qdisc del dev vec0 root
  echo "node 1: netem loss 10% on vec0 works"
fi
