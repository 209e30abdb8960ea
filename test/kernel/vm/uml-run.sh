#!/bin/bash
# Run one command inside a user-mode-linux (UML) guest kernel that has TIPC.
#
#   test/kernel/vm/uml-run.sh [-m MEM] command [args...]
#
# Why UML: the host kernel (CI containers, Firecracker VMs) usually has no
# TIPC and cannot load modules. Debian's user-mode-linux package is a 6.1
# kernel that runs as an ordinary process, with TIPC, veth, bridge, netns,
# netem and hostfs as modules, and boots in about a second. With hostfs the
# guest's root IS the host's /, read-only, so the guest runs the host's own
# node, the built addon and node_modules unchanged: nothing to copy or build.
#
# The command runs as root in the guest, in $PWD (mounted read-write at the
# same path, so e.g. tap's .tap/ lands on the host), with the host's
# environment. stdout and stderr are streamed here (merged); the exit code is
# the command's. 124 means the guest never reported one (panic, or
# TIPCVM_TIMEOUT seconds, default 600, ran out): the console tail is printed.
#
# Environment (host side):
#   TIPCVM_MEM      guest RAM (default 512M; -m overrides). The RAM is a sparse
#                   file in /dev/shm, so only pages the guest touches cost host
#                   memory.
#   TIPCVM_TIMEOUT  seconds before the guest is killed (default 600)
#   TIPCVM_RW       extra host dirs (colon-separated) to mount read-write
#   TIPCVM_UML_ARGS extra kernel arguments (two-guests.sh passes vec0:...)
#   TIPCVM_TIMINGS  if 1, print "tipc-vm: boot X s" (guest uptime when the
#                   command starts) to stderr
set -u
here=$(cd "$(dirname "$0")" && pwd)
mem=${TIPCVM_MEM:-512M}
if [ "${1:-}" = -m ]; then mem=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-m MEM] command [args...]" >&2; exit 2; }
command -v linux.uml >/dev/null || {
  echo "tipc-vm: linux.uml not found; install it: apt-get install user-mode-linux kmod iproute2" >&2; exit 127; }

# $io is the only channel between host and guest: cmd.sh in, out/rc/boot back.
io=$(mktemp -d "${TMPDIR:-/tmp}/tipcvm.XXXXXX")
vm= tailer=
cleanup() {
  [ -n "$vm" ] && kill "$vm" 2>/dev/null && wait "$vm" 2>/dev/null
  [ -n "$tailer" ] && kill "$tailer" 2>/dev/null
  rm -rf "$io"
}
trap cleanup EXIT
# Without these, a TERM/INT (two-guests.sh stopping a peer, ^C) would kill
# this shell without running cleanup and leave the guest running.
trap 'exit 143' TERM
trap 'exit 130' INT
touch "$io/out"

# The guest starts with an empty environment, so cmd.sh re-creates ours
# (export -p), then cd's and runs the command, quoted with printf %q. %q may
# produce $'...', which only bash parses: guest-init runs cmd.sh with bash.
{ export -p | grep -vE '^declare -x (OLDPWD|PWD|SHLVL|_)(=|$)'
  printf 'cd %q || exit 125\n' "$PWD"
  printf '%q ' "$@"; echo
} > "$io/cmd.sh"

# UML 6.1 panics on hosts whose XSAVE area is larger than the one it knows
# (AMX: "ptrace set fp regs failed, errno = 14"); the shim sends its short
# FPU-state writes whole. Why it is exact: uml-xstate-shim.c. Built per boot
# (a tenth of a second) and preloaded into linux.uml alone, not the guest.
shim=
if cc -shared -fPIC -O2 -o "$io/xstate-shim.so" "$here/uml-xstate-shim.c" -ldl 2>"$io/shim.log"; then
  shim="$io/xstate-shim.so"
else
  echo "tipc-vm: could not build uml-xstate-shim.c (UML may panic on AMX hosts):" >&2
  cat "$io/shim.log" >&2
fi

# Kernel command line, word by word:
#  root=/dev/root rootfstype=hostfs rootflags=/  host / is the root filesystem
#  ro               read-only: without it the guest writes into the host's /
#  init=            our PID 1 (no systemd, no initramfs)
#  uml_dir=$io      UML's mconsole socket dir (default ~/.uml, may be read-only)
#  TIPCVM_*=        words the kernel does not know become init's environment
#  initcall_blacklist=raid6_select_algo  skips a 0.85 s RAID6 benchmark
#  con=null con0=null,fd:2  no console except kernel messages to stderr
#                   (UML then prints a harmless "epollctl add err fd 2")
# TMPDIR: UML mmaps its RAM file from there with exec rights; /dev/shm is a
# tmpfs that allows it (and is fast). stdin is /dev/null: CI has none.
TMPDIR=/dev/shm LD_PRELOAD="$shim" timeout -k 5 "${TIPCVM_TIMEOUT:-600}" linux.uml \
  mem="$mem" root=/dev/root rootfstype=hostfs rootflags=/ ro \
  init="$here/guest-init.sh" uml_dir="$io" \
  TIPCVM_IO="$io" TIPCVM_RW="$io:$PWD${TIPCVM_RW:+:$TIPCVM_RW}" \
  initcall_blacklist=raid6_select_algo ${TIPCVM_UML_ARGS:-} \
  con=null con0=null,fd:2 quiet loglevel=0 \
  </dev/null >/dev/null 2>"$io/console" &
vm=$!
# Stream the guest's output while it runs. tail in the background + wait,
# so the TERM/INT traps above fire at once instead of after tail exits.
tail -n +1 -s 0.2 -f --pid="$vm" "$io/out" & tailer=$!
wait "$vm"; vmrc=$?; vm=
wait "$tailer"; tailer=
if [ "${TIPCVM_TIMINGS:-}" = 1 ] && [ -s "$io/boot" ]; then
  echo "tipc-vm: boot $(cut -d' ' -f1 "$io/boot") s (guest uptime at first command)" >&2
fi
if [ -s "$io/rc" ]; then exit "$(cat "$io/rc")"; fi
echo "tipc-vm: guest did not report an exit code (linux.uml rc=$vmrc, 124 = timeout); console tail:" >&2
tail -40 "$io/console" >&2
exit 124
