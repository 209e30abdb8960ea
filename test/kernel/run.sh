#!/bin/bash
# npm run test:kernel — the kernel suite, against real kernel TIPC, in
# user-mode-linux guests (test/kernel/vm/, docs/kernel-harness.md).
#
#   bash test/kernel/run.sh            everything
#   bash test/kernel/run.sh FILE...    only these test files (.ts under test/):
#                                      test/kernel/two-guest/*.ts scripts in
#                                      the two-guest phase (after its check),
#                                      the others in the one boot; a phase
#                                      with none of them is skipped
#
# Phases:
#   1. preflight: linux.uml, modprobe, ip/tipc/tc on the host (the guest
#      runs the host's binaries), and the native addon, built.
#   2. compile: tsc --noCheck of test/**/*.ts (and what it imports)
#      into a private dir inside node_modules/.cache, ~1 s on the host. The
#      guest then runs plain JS: in its 1 vCPU, loading TypeScript costs 3 s
#      per process and tap's loaders slowed the suite 3-4x (see suite.sh).
#      Type errors are for `npm run typecheck`, not for this script. Each
#      file phase 3 runs is then bundled with what it imports (see below).
#   3. UML boots run, with TIPC_RX_KERNEL=1 (so a test that cannot find
#      TIPC fails instead of skipping), in groups (test/kernel/vm/suite.sh);
#      with 2+ cpus two boots (one per 2 cpus on a PTI host without PCID,
#      see "Lanes" below) run at the same time and share the groups, each
#      taking the next one when free; the groups (longest first):
#        kernel              test/kernel/*.test.ts (single node; the cluster
#                            files bring up their own netns cluster)
#        docs                test/docs/code-blocks.test.ts: the docs' code
#                            blocks marked `kernel`
#        conformance-1node   test/conformance/*.test.ts, tipc on one node
#        conformance-netns3  the same with a 3-node netns cluster up and
#                            TIPC_RX_NETNS=n1,n2,n3 (transport i = node i)
#        pubsub-1node        test/pubsub/suite/*.test.ts (the topic layer
#        pubsub-netns3       through its public API), the same two shapes
#        streams-1node       test/streams/suite/*.test.ts (SEQPACKET streams),
#        streams-netns3      the same two shapes
#        reqrep-1node        test/reqrep/suite/*.test.ts (request/reply),
#        reqrep-netns3       the same two shapes
#        cli-netns3.1, .2    the CLI's end-to-end tests that meet other
#                            processes (test/cli/), the real tipc-rx binary
#                            from dist/ on tipc, each process started in the
#                            next netns node in turn
#   4. two guests joined by a host veth pair: first a sanity check (the link
#      comes up, netem works), then each test/kernel/two-guest/*.ts script,
#      one pair of boots per script. Needs root. With two or more boots in
#      phase 3 it starts when the first of them ends.
#
# Environment:
#   TIPC_RX_KERNEL_RUNNER=tap   run phase 3 from source through tap's runner
#                               (tap's reporting, much slower)
#   TIPC_RX_KERNEL_BUNDLE=0     run phase 3's compiled files as they are, not
#                               bundled (tools/bundle-kernel-tests.mjs)
#   TIPC_RX_KERNEL_FILE_TIMEOUT seconds per test file (default 360: on a
#                               slow host the longest CLI files took 140-160 s)
#   TIPC_RX_SKIP_TWO_GUESTS=1   skip phase 4 (e.g. not root)
#   TIPC_RX_KERNEL_GROUPS=a,b   phase 3 runs only these groups (names above;
#                               cli-netns3 names both its parts)
#   TIPC_RX_KERNEL_LANES=N      phase 3 in N boots at once, sharing the groups
#                               (default: 2 when the host has 2 or more cpus,
#                               else 1; never more than there are groups)
#   TIPCVM_MEM, TIPCVM_TIMEOUT  see test/kernel/vm/uml-run.sh
#
# Two-guest scripts (test/kernel/two-guest/NAME.ts) are programs, not tap
# files. Both guests run the same script, each after its link to the peer is
# up; the script learns which node it is from $TIPCVM_NODE ("1" or "2",
# TIPC address 1.1.N) and exits 0 for pass, non-zero for fail. The run passes
# only if both nodes exit 0. A script can instead get per-node arguments from
# header lines of this exact form (split on spaces, no quoting):
#   // @two-guests node1: send 2000
#   // @two-guests node2: receive 2000
# The nodes must find each other through TIPC itself (e.g. node 1 waits on
# the topology service for node 2's binding), never by timing. A script can
# have the host pause a guest mid-run: see the pause channel in
# test/kernel/vm/two-guests.sh (used by two-guest/rdm-peer-pause.ts).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
vm=test/kernel/vm

now() { date +%s.%N; }
secs() { awk "BEGIN { printf \"%.1f\", $(now) - $1 }"; }
phase() { printf '\n=== %s\n' "$*"; }
timings=()
record() { timings+=("$(printf '%-28s %7ss  %s' "$1" "$2" "$3")"); }
overall=0
report() {
  phase "timings"
  printf '  %s\n' "${timings[@]}"
  [ "$overall" = 0 ] && echo "kernel suite: PASS" || echo "kernel suite: FAIL"
}
die() { echo "test:kernel: $*" >&2; exit 1; }

# ---- 1. preflight -----------------------------------------------------------
phase "preflight"
t0=$(now)
export PATH="$PATH:/usr/sbin:/sbin"   # modprobe, ip, tc live in sbin
install_hint="install them (as root): apt-get install user-mode-linux kmod iproute2"
missing=()
command -v linux.uml >/dev/null || missing+=("linux.uml (package user-mode-linux)")
command -v modprobe >/dev/null || missing+=("modprobe (package kmod; the guest loads tipc.ko with the host's modprobe)")
for tool in ip tipc tc; do command -v $tool >/dev/null || missing+=("$tool (package iproute2)"); done
if [ ${#missing[@]} -gt 0 ]; then
  printf 'test:kernel: missing: %s\n' "${missing[@]}" >&2
  die "$install_hint"
fi
ls /usr/lib/uml/modules/*/kernel/net/tipc/tipc.ko >/dev/null 2>&1 ||
  die "no tipc.ko under /usr/lib/uml/modules; reinstall user-mode-linux"
[ -x node_modules/.bin/tsc ] || die "node_modules is missing or incomplete: run npm ci first"
[ -f binding.gyp ] || die "binding.gyp not found: the native addon (target tipc_rx) is not in this checkout yet"
addon=build/Release/tipc_rx.node
if [ ! -f "$addon" ]; then
  echo "native addon not built; building it (node-gyp-build)"
  node_modules/.bin/node-gyp-build || die "building the native addon failed"
  [ -f "$addon" ] || ls prebuilds/linux-*/*.node >/dev/null 2>&1 || die "no $addon after node-gyp-build"
fi
# Not rebuilt behind your back (someone may be building it right now), but
# a stale addon is worth a loud line.
newer=$(find bindings/src binding.gyp -newer "$addon" -type f 2>/dev/null | head -3)
[ -z "$newer" ] || echo "WARNING: $addon is older than: $(echo $newer) (npm run build:native)" >&2
echo "linux.uml $(linux.uml --version 2>/dev/null | head -1 || true), addon $addon"
record preflight "$(secs "$t0")" ok

# ---- 2. compile ---------------------------------------------------------------
phase "compile test/ (tsc --noCheck)"
t0=$(now)
mkdir -p node_modules/.cache
# Inside the repo on purpose: compiled files find node_modules and the
# package root (binding.gyp, used to locate the addon) by walking up.
# Private per run, so concurrent runs do not clobber each other.
out=$(mktemp -d "$root/node_modules/.cache/tipc-rx-kernel.XXXXXX")
trap 'rm -rf "$out"' EXIT
# In a git worktree whose node_modules is a symlink to another checkout's,
# the walk up from $out reaches THAT checkout's binding.gyp and loads its
# addon, not this one's. The compiled tree is the package root instead,
# with this checkout's addon.
ln -s "$root/binding.gyp" "$out/binding.gyp"
[ ! -e "$root/build" ] || ln -s "$root/build" "$out/build"
[ ! -e "$root/prebuilds" ] || ln -s "$root/prebuilds" "$out/prebuilds"
cat >"$out/tsconfig.json" <<EOF
{
  "extends": "$root/tsconfig.json",
  "compilerOptions": {
    "rootDir": "$root", "outDir": "$out", "noEmit": false, "noCheck": true,
    "declaration": false, "sourceMap": true, "incremental": false
  },
  "include": ["$root/test/**/*.ts"],
  "exclude": []
}
EOF
echo '{ "type": "module" }' >"$out/package.json"
# Emits even with type errors (noCheck); a syntax error elsewhere in test/
# (someone's work in progress) must not stop the kernel suite: only a
# missing output for a file we run does (checked below).
node_modules/.bin/tsc -p "$out/tsconfig.json" || echo "(tsc reported errors; carrying on with what it emitted)"
# Non-TS files next to the tests (vm/*.sh used by cluster.ts, data files)
# are linked into the compiled tree, so relative paths still work there.
while IFS= read -r f; do
  mkdir -p "$out/$(dirname "$f")"
  ln -s "$root/$f" "$out/$f"
done < <(find test -type f ! -name '*.ts')
# The CLI's end-to-end tests run the real binary, dist/cli/tipc-rx.js: built
# here on the host (the guest sees the host's files read-only), as npm test
# does, unless it is already newer than every source.
if [ ! -f dist/cli/tipc-rx.js ] ||
   [ -n "$(find cli core codecs errors bindings -name '*.ts' -newer dist/cli/tipc-rx.js 2>/dev/null | head -1)" ]; then
  npm run --silent build || die "building dist/ for the CLI tests failed"
fi
record compile "$(secs "$t0")" ok

# ---- 3. one boot: single node, netns cluster, conformance ---------------------
# Files named on the command line: two-guest scripts are for phase 4.
selected=() two_guest_selected=()
for f in "$@"; do
  case ${f#./} in
  test/kernel/two-guest/*.ts)
    [ -f "$f" ] || die "no such two-guest script: $f"
    two_guest_selected+=("${f#./}") ;;
  *) selected+=("$f") ;;
  esac
done
if [ $# -gt 0 ]; then
  plan=()
  [ ${#selected[@]} -eq 0 ] || plan=(@group=selected "${selected[@]}")
else
  # The groups, longest first (as measured in the guest, s, on a 2-cpu host
  # with both boots running: see "Lanes" below). The boots take groups from
  # the front of this list as they become free, so the long ones start first
  # and the short ones fill the end of both boots evenly.
  plan=()
  # The CLI as a user types it, on kernel TIPC: the tests whose processes
  # meet each other (tail, publish, topics, who, watch, bench, demo,
  # request, reply, tail --from) and
  # doctor, which reports the kernel's TIPC. suite.sh sets
  # TIPC_RX_CLI_TEST_TRANSPORT=tipc; with the netns cluster up every process
  # starts on the next node in turn (test/cli/tipc-rx-bin.ts). Each tipc-rx
  # process takes seconds to start in the guest, so these are the longest
  # files (386 s in all at 4022fb4); two groups of about equal time, each
  # with a cluster of its own, so the two boots can share them.
  # TIPC_RX_KERNEL_GROUPS=cli-netns3 names both.
  plan+=(@group=cli-netns3.1 @netns=3)
  for f in tail-select tail-publish-acks publish-stdin-10000 demo directory-watch tail-avro; do # 72 31 31 23 22 17
    plan+=("test/cli/$f.test.ts")
  done
  plan+=(@group=cli-netns3.2 @netns=3)
  for f in request-reply tail-from request-reply-failures directory-topics-who bench tail-publish-sigkill doctor; do # 57 34 31 20 18 17 13
    plan+=("test/cli/$f.test.ts")
  done
  # The topic layer's suite (test/pubsub/suite/) on the kernel, in two
  # shapes (148, 83): its harness is the conformance harness, so the same
  # variables pick the tipc cluster.
  if compgen -G 'test/pubsub/suite/*.test.ts' >/dev/null; then
    plan+=(@group=pubsub-netns3 @netns=3 test/pubsub/suite/*.test.ts)
  fi
  plan+=(@group=kernel test/kernel/*.test.ts) # 108
  if compgen -G 'test/pubsub/suite/*.test.ts' >/dev/null; then
    plan+=(@group=pubsub-1node test/pubsub/suite/*.test.ts)
  fi
  # The docs' code blocks that need kernel TIPC (test/docs/code-blocks.test.ts
  # runs the blocks marked <!-- doc-test: kernel -->, npm test the rest). 35
  plan+=(@group=docs test/docs/code-blocks.test.ts)
  # Request/reply (test/reqrep/suite/), the topic suite's harness; the netns
  # shape is where a request crosses nodes (33, 29).
  if compgen -G 'test/reqrep/suite/*.test.ts' >/dev/null; then
    plan+=(@group=reqrep-1node test/reqrep/suite/*.test.ts
           @group=reqrep-netns3 @netns=3 test/reqrep/suite/*.test.ts)
  fi
  # The conformance suite, tipc on one node and on a 3-node netns cluster
  # (26, 33).
  if compgen -G 'test/conformance/*.test.ts' >/dev/null; then
    plan+=(@group=conformance-netns3 @netns=3 test/conformance/*.test.ts
           @group=conformance-1node test/conformance/*.test.ts)
  fi
  # SEQPACKET streams (test/streams/suite/): the topic suite's harness, so
  # the same variables pick the tipc cluster; the netns shape is where a node
  # going down ends a stream with NO_NODE (31, 23).
  if compgen -G 'test/streams/suite/*.test.ts' >/dev/null; then
    plan+=(@group=streams-netns3 @netns=3 test/streams/suite/*.test.ts
           @group=streams-1node test/streams/suite/*.test.ts)
  fi
fi
# TIPC_RX_KERNEL_GROUPS=a,b: only these groups of the full plan (and their
# @netns lines), e.g. to iterate on one group without the others' minutes;
# a name also selects its parts (cli-netns3: cli-netns3.1 and cli-netns3.2).
if [ $# -eq 0 ] && [ -n "${TIPC_RX_KERNEL_GROUPS:-}" ]; then
  kept=() keep=0
  for item in "${plan[@]}"; do
    case $item in
    @group=*)
      name=${item#@group=}
      case ",$TIPC_RX_KERNEL_GROUPS," in *",$name,"* | *",${name%.*},"*) keep=1 ;; *) keep=0 ;; esac ;;
    esac
    [ $keep = 1 ] && kept+=("$item")
  done
  [ ${#kept[@]} -gt 0 ] || die "TIPC_RX_KERNEL_GROUPS=$TIPC_RX_KERNEL_GROUPS names no group of the plan"
  plan=("${kept[@]}")
fi
runner=${TIPC_RX_KERNEL_RUNNER:-node}
args=() nfiles=0
for item in "${plan[@]}"; do
  case $item in
  @*) args+=("$item") ;;
  *)
    [ -f "$item" ] || die "no such test file: $item"
    nfiles=$((nfiles + 1))
    if [ "$runner" = tap ]; then args+=("$item"); continue; fi
    js="$out/${item%.ts}.js"
    [ -f "$js" ] || die "$item: not compiled (is it under test/?)"
    args+=("$js")
    ;;
  esac
done
# Each file the guest runs with node, bundled with what it imports
# (tools/bundle-kernel-tests.mjs: in UML, loading ~600 modules is seconds of
# every file's run). TIPC_RX_KERNEL_BUNDLE=0 runs the files unbundled; so
# does a failed bundle (the tool exits non-zero and says why).
if [ "$runner" = node ] && [ "${TIPC_RX_KERNEL_BUNDLE:-1}" != 0 ]; then
  t0=$(now)
  files=()
  for item in "${args[@]}"; do case $item in @*) ;; *) files+=("$item") ;; esac; done
  if [ ${#files[@]} -gt 0 ] && bundle_out=$(node tools/bundle-kernel-tests.mjs "$out" "${files[@]}") &&
     mapfile -t bundled <<<"$bundle_out" && [ ${#bundled[@]} = ${#files[@]} ]; then
    i=0
    for j in "${!args[@]}"; do
      case ${args[$j]} in @*) ;; *) args[$j]=${bundled[$i]}; i=$((i + 1)) ;; esac
    done
    record bundle "$(secs "$t0")" ok
  else
    echo "test:kernel: bundling the test files failed; running them unbundled" >&2
    record bundle "$(secs "$t0")" "FAILED: running unbundled"
  fi
fi
# Lanes: TIPC_RX_KERNEL_LANES boots at once, each given the whole plan;
# suite.sh runs a group only in the boot that claims it first (a shared
# queue dir), so a free boot takes the next group from the front, and the
# two-guest phase starts when the first boot ends. Default: 2 on 2+ cpus,
# but 1 per 2 cpus on a host with PTI and no PCID, where UML's ptrace
# switches flush the TLB and two guests on 2 cpus did less than one
# (docs/kernel-harness.md, "Lanes").
if [ -z "${TIPC_RX_KERNEL_LANES:-}" ] && grep -q PTI /sys/devices/system/cpu/vulnerabilities/meltdown 2>/dev/null &&
  ! grep -qw pcid /proc/cpuinfo; then
  lanes=$(($(nproc) / 2))
else
  lanes=${TIPC_RX_KERNEL_LANES:-$([ "$(nproc)" -ge 2 ] && echo 2 || echo 1)}
fi
ngroups=0
for item in "${args[@]}"; do case $item in @group=*) ngroups=$((ngroups + 1)) ;; esac; done
[ "$lanes" -le "$ngroups" ] || lanes=$ngroups
[ "$lanes" -ge 1 ] || lanes=1
queue=$(mktemp -d "${TMPDIR:-/tmp}/tipc-rx-kernel-queue.XXXXXX")
trap 'rm -rf "$out" "$queue"' EXIT
run_boot() { # items...
  # npm_config_cache: npm (if a test calls it) cannot write ~/.npm on the
  # read-only root. NODE_OPTIONS: stack traces point at the .ts sources.
  # TIPCVM_TIMEOUT: the boot's bound (uml-run.sh's default is 600 s). The
  # plan outgrew it on a busy 2-core host (the groups before the pubsub ones
  # alone ran past 600 s at load 20); each file has its own bound anyway.
  # 3000 s since a host booted with pti=on (2026-12-02: every syscall, and
  # so UML, slower) ran both boots past 1,500 s with the tests passing,
  # where 2026-12-01's host took under 6 minutes.
  # TIPCVM_RW: the queue dir, read-write in every boot.
  TIPC_RX_KERNEL=1 npm_config_cache=/tmp/npm NODE_OPTIONS="${NODE_OPTIONS:-} --enable-source-maps" \
    TIPC_RX_KERNEL_QUEUE="$queue" TIPCVM_RW="$queue${TIPCVM_RW:+:$TIPCVM_RW}" \
    TIPCVM_TIMEOUT="${TIPCVM_TIMEOUT:-3000}" TIPCVM_TIMINGS=1 "$vm/uml-run.sh" bash "$vm/suite.sh" "$runner" "$@"
}

# ---- 4. two guests (a function: it may start while boots of phase 3 run) -----
two_guests_skipped() {
  { [ $# -gt 0 ] && [ ${#two_guest_selected[@]} -eq 0 ]; } || [ "${TIPC_RX_SKIP_TWO_GUESTS:-}" = 1 ]
}
# A command line for one node: wait for the peer link, then run the script.
node_cmd() { # script node
  local js="$out/${1%.ts}.js" extra
  extra=$(sed -n "s|^// @two-guests node$2: *||p" "$1" | head -1)
  printf '%q 2 %s && node %q %s' "$vm/wait-links.sh" "${TIPCVM_LINK_TIMEOUT:-20}" "$js" "$extra"
}
two_guest_phase() { # script...
  if [ "$(id -u)" != 0 ]; then
    echo "test:kernel: the two-guest phase needs root (it creates a host veth pair); set TIPC_RX_SKIP_TWO_GUESTS=1 to skip it" >&2
    overall=1; record "two guests" 0 "FAIL not root"; return
  fi
  local t0 rc src script
  phase "two guests: link and netem check"
  t0=$(now)
  "$vm/two-guests.sh" "$vm/two-guest-check.sh" "$vm/two-guest-check.sh"
  rc=$?
  record "two-guest check" "$(secs "$t0")" "$([ $rc = 0 ] && echo ok || echo "FAIL rc=$rc")"
  [ $rc = 0 ] || overall=1
  for script in "$@"; do
    [ -e "$script" ] || continue
    [ $rc = 0 ] || { record "two-guest $(basename "$script")" 0 "skipped: check failed"; continue; }
    phase "two guests: $script"
    t0=$(now)
    TIPC_RX_KERNEL=1 NODE_OPTIONS="${NODE_OPTIONS:-} --enable-source-maps" \
      "$vm/two-guests.sh" "$(node_cmd "$script" 1)" "$(node_cmd "$script" 2)"
    src=$?
    record "two-guest $(basename "$script")" "$(secs "$t0")" "$([ $src = 0 ] && echo ok || echo "FAIL rc=$src")"
    [ $src = 0 ] || overall=1
  done
}
scripts=("${two_guest_selected[@]}")
[ $# -gt 0 ] || scripts=(test/kernel/two-guest/*.ts)
two_guests_done=0
if two_guests_skipped "$@"; then two_guests_done=skipped; fi

if [ $nfiles -gt 0 ]; then
  t0=$(now)
  if [ "$lanes" -gt 1 ]; then
    phase "kernel suite: $nfiles test file runs in $lanes UML boots at once, sharing $ngroups groups (runner: $runner); boot 1's output streams, the others' follow it"
  else
    phase "kernel suite: $nfiles test file runs in one UML boot (runner: $runner)"
  fi
  declare -A boot_of=() boot_rc=()
  running=()
  # Boot 1 streams its output; the others write a log each, printed after.
  # Each boot notes when it ended: it may be waited for later (after the
  # two-guest phase).
  boot() { run_boot "${args[@]}"; local rc=$?; now >"$out/boot$1.end"; return $rc; }
  for k in $(seq 1 "$lanes"); do
    if [ "$k" = 1 ]; then boot 1 & else boot "$k" >"$out/boot$k.log" 2>&1 & fi
    boot_of[$!]=$k; running+=($!)
  done
  boot_finished() { # waits for one boot to end and records it
    local pid rc k rest=() p
    wait -n -p pid "${running[@]}"; rc=$?
    k=${boot_of[$pid]}; boot_rc[$k]=$rc
    record "kernel suite (boot $k)" "$(awk "BEGIN { printf \"%.1f\", $(cat "$out/boot$k.end" 2>/dev/null || now) - $t0 }")" \
      "$([ $rc = 0 ] && echo ok || echo "FAIL rc=$rc")"
    [ $rc = 0 ] || overall=1
    for p in "${running[@]}"; do [ "$p" = "$pid" ] || rest+=("$p"); done
    running=("${rest[@]}")
  }
  # The two-guest phase needs two vCPUs of its own: it starts when the first
  # boot ends (the others are then on their last group). Its output waits in
  # a log while boot 1 still streams.
  two_guest_log=
  if [ "$two_guests_done" = 0 ] && [ "$lanes" -gt 1 ]; then
    boot_finished
    if [ -n "${boot_rc[1]:-}" ]; then two_guest_phase "${scripts[@]}"
    else two_guest_log="$out/two-guests.log"; two_guest_phase "${scripts[@]}" >"$two_guest_log" 2>&1; fi
    two_guests_done=1
  fi
  while [ ${#running[@]} -gt 0 ]; do boot_finished; done
  [ -z "$two_guest_log" ] || cat "$two_guest_log"
  for k in $(seq 2 "$lanes"); do
    phase "kernel suite, boot $k"
    cat "$out/boot$k.log"
  done
  # Every group must have run in some boot (a boot that died before its
  # first claim leaves none behind, but say so if the count is short).
  claimed=$(find "$queue" -mindepth 1 -maxdepth 1 -type d | wc -l)
  if [ "$claimed" != "$ngroups" ]; then
    echo "test:kernel: only $claimed of $ngroups groups were run" >&2
    overall=1; record "groups run" 0 "FAIL $claimed of $ngroups"
  fi
fi

if [ "$two_guests_done" = skipped ]; then echo "two-guest phase skipped"
elif [ "$two_guests_done" = 0 ]; then two_guest_phase "${scripts[@]}"; fi
report
exit $overall
