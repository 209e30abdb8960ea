#!/bin/bash
# The host side of two-guests.sh's pause channel: serves the pause requests
# guests write into DIR (the protocol is in two-guests.sh's header) by
# stopping and resuming the UML guest started by uml-run.sh as PID1 / PID2.
#
#   pause-watcher.sh DIR PID1 PID2
#
# Runs until both PIDs are gone or it gets TERM. A guest it holds stopped
# is always resumed before it exits, so a failing run never leaves a frozen
# guest behind (a stopped process would not even act on the TERM that
# uml-run.sh's cleanup sends it).
set -u
dir=$1
declare -A runner=([1]=$2 [2]=$3)
held=()   # processes stopped right now

resume_held() {
  [ ${#held[@]} -gt 0 ] && kill -CONT "${held[@]}" 2>/dev/null
  held=()
}
trap 'resume_held; exit 0' TERM INT

children() { # pid -> its child pids
  cat /proc/"$1"/task/*/children 2>/dev/null
}

# The guest's kernel process: uml-run.sh -> timeout -> linux.uml.
kernel_of() { # runner-pid -> pid of linux.uml, or nothing
  local c g
  for c in $(children "$1"); do
    for g in $(children "$c"); do
      [ "$(cat /proc/"$g"/comm 2>/dev/null)" = linux.uml ] && { echo "$g"; return; }
    done
  done
}

# The processes to stop: the kernel process and every descendant that is
# not ptraced (its helpers, e.g. the I/O and SIGIO threads UML creates as
# processes). Ptraced descendants are the guest's own processes: see the
# header of two-guests.sh for why they are left alone.
untraced_tree() { # pid
  local tracer
  tracer=$(awk '/^TracerPid:/ { print $2 }' /proc/"$1"/status 2>/dev/null)
  [ "$tracer" = 0 ] || return 0
  echo "$1"
  local c
  for c in $(children "$1"); do untraced_tree "$c"; done
}

serve() { # request-file
  local req=$1 id line node ms kernel pids more
  id=$(basename "$req" .request)
  line=$(cat "$req" 2>/dev/null); rm -f "$req"
  node=$(sed -n 's/.*node=\([0-9]*\).*/\1/p' <<<"$line")
  ms=$(sed -n 's/.*ms=\([0-9]*\).*/\1/p' <<<"$line")
  fail() { echo "$*" >"$dir/$id.failed"; echo "pause-watcher: $id: $*" >&2; }
  if [ -z "${runner[$node]:-}" ] || [ -z "$ms" ] || [ "$ms" -gt 60000 ]; then
    fail "bad request '$line' (want node=1|2 ms=0..60000)"; return
  fi
  kernel=$(kernel_of "${runner[$node]}")
  [ -n "$kernel" ] || { fail "node$node has no running linux.uml"; return; }
  # Stop the kernel process first (nothing new is forked after that), then
  # its helpers; list again in case a helper appeared meanwhile. The times
  # are taken just before the signals, without a fork ($EPOCHREALTIME).
  local stopped=$EPOCHREALTIME continued left
  kill -STOP "$kernel" && held=("$kernel")
  while :; do
    more=()
    for p in $(untraced_tree "$kernel"); do
      [[ " ${held[*]} " == *" $p "* ]] || more+=("$p")
    done
    [ ${#more[@]} -eq 0 ] && break
    kill -STOP "${more[@]}" 2>/dev/null
    held+=("${more[@]}")
  done
  echo "stopped=$stopped processes=${#held[@]}" >"$dir/$id.stopped"
  echo "pause-watcher: node$node stopped (${#held[@]} processes: ${held[*]}) for ${ms}ms" >&2
  # Until stopped + ms, in microseconds (bash arithmetic, no fork); sleep
  # in the background + wait, so a TERM is handled at once.
  left=$(( ${stopped/./} + ms * 1000 - ${EPOCHREALTIME/./} ))
  if [ $left -gt 0 ]; then
    sleep "$((left / 1000000)).$(printf %06d $((left % 1000000)))" &
    wait $!
  fi
  continued=$EPOCHREALTIME
  resume_held
  echo "stopped=$stopped continued=$continued" >"$dir/$id.done"
  echo "pause-watcher: node$node continued" >&2
}

while kill -0 "${runner[1]}" 2>/dev/null || kill -0 "${runner[2]}" 2>/dev/null; do
  for req in "$dir"/*.request; do
    [ -e "$req" ] && serve "$req"
  done
  sleep 0.02
done
