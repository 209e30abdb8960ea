#!/bin/sh
# PID 1 of a UML guest booted by uml-run.sh. There is no systemd and no
# initramfs: this script prepares just enough of a system, runs
# $TIPCVM_IO/cmd.sh, reports its exit code and powers off.
#
# What it starts from: the host's / mounted read-only through hostfs, and the
# TIPCVM_* variables, which arrive as environment because the kernel hands
# unknown key=value words of its command line to init.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8

# hostfs shows the HOST's mounted /proc, /sys, /dev and /dev/shm: mount the
# guest's own over them.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm 2>/dev/null
mount -t devpts devpts /dev/pts
# Private writable dirs (the root is read-only): /tmp for programs and npm's
# cache, /run for `ip netns` (it keeps /run/netns there), /mnt for the
# module tree below.
for d in /tmp /run /dev/shm /mnt; do mount -t tmpfs tmpfs "$d"; done

# Read-write host dirs ($TIPCVM_IO, the project dir, TIPCVM_RW), at the same
# path. After the tmpfs mounts on purpose: $TIPCVM_IO usually lives under the
# host's /tmp, which the guest's /tmp would otherwise hide.
IFS=:
for p in $TIPCVM_RW; do
  mkdir -p "$p" 2>/dev/null      # in the tmpfs if p is under /tmp
  mount -t hostfs -o "$p" none "$p"
done
unset IFS

# Debian's UML modules live in /usr/lib/uml/modules/<ver>, but modprobe only
# looks in <dir>/lib/modules/<ver>: build that tree of one symlink on tmpfs.
# modprobe itself is the host's (package kmod), run from the hostfs root.
ver=$(uname -r)
mkdir -p /mnt/lib/modules
ln -s "/usr/lib/uml/modules/$ver" "/mnt/lib/modules/$ver"
modprobe -d /mnt -a tipc veth bridge ||
  echo "tipc-vm: modprobe tipc veth bridge failed (is kmod installed on the host?)" >"$TIPCVM_IO/out"
# netem (tc qdisc ... netem loss) for the two-guest loss tests; optional, so
# a kernel without it still runs everything else.
modprobe -q -d /mnt sch_netem 2>/dev/null || true
ip link set lo up

cut -d' ' -f1 /proc/uptime >"$TIPCVM_IO/boot"   # boot time, for the logs
rc=1
if [ -f "$TIPCVM_IO/cmd.sh" ]; then
  # bash, not sh: cmd.sh is quoted with printf %q, which can emit $'...'.
  # Appends: keep a modprobe failure message above the command's output.
  bash "$TIPCVM_IO/cmd.sh" </dev/null >>"$TIPCVM_IO/out" 2>&1
  rc=$?
fi
echo "$rc" >"$TIPCVM_IO/rc"
sync
poweroff -f
