#!/bin/sh
# Inside a guest (or a netns, through `ip netns exec nI`): wait until this
# TIPC node has at least COUNT links up, or fail after TIMEOUT seconds.
#
#   wait-links.sh COUNT [TIMEOUT_S]
#
# `tipc link list` prints "broadcast-link: up" plus one "<own>:<if>-<peer>:<if>:
# up" line per peer link, so a node of an N-node full mesh is ready at N
# lines ending in ": up" (N-1 peers + the broadcast link); a guest with one
# peer at 2. On timeout the link list goes to stderr and the exit code is 1,
# so a caller's `set -e` or `&&` stops there.
want=$1 limit=${2:-15}
start=$(cut -d' ' -f1 /proc/uptime)
while :; do
  up=$(tipc link list 2>/dev/null | grep -c ': up$')
  [ "$up" -ge "$want" ] && exit 0
  now=$(cut -d' ' -f1 /proc/uptime)
  if awk "BEGIN { exit !($now - $start > $limit) }"; then
    echo "wait-links: $up of $want links up after ${limit}s:" >&2
    tipc link list >&2
    exit 1
  fi
  sleep 0.05
done
