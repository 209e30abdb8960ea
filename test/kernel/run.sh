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
#      Type errors are for `npm run typecheck`, not for this script.
#   3. UML boots run, with TIPC_RX_KERNEL=1 (so a test that cannot find
#      TIPC fails instead of skipping), in groups (test/kernel/vm/suite.sh);
#      with 2+ cpus some groups run in a second boot at the same time
#      (TIPC_RX_KERNEL_LANE2; TIPC_RX_KERNEL_LANES=1: all in one boot):
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
#        cli-netns3          the CLI's end-to-end tests that meet other
#                            processes (test/cli/), the real tipc-rx binary
#                            from dist/ on tipc, each process started in the
#                            next netns node in turn
#   4. two guests joined by a host veth pair: first a sanity check (the link
#      comes up, netem works), then each test/kernel/two-guest/*.ts script,
#      one pair of boots per script. Needs root.
#
# Environment:
#   TIPC_RX_KERNEL_RUNNER=tap   run phase 3 from source through tap's runner
#                               (tap's reporting, much slower)
#   TIPC_RX_KERNEL_FILE_TIMEOUT seconds per test file (default 180)
#   TIPC_RX_SKIP_TWO_GUESTS=1   skip phase 4 (e.g. not root)
#   TIPC_RX_KERNEL_GROUPS=a,b   phase 3 runs only these groups (names above)
#   TIPC_RX_KERNEL_LANES=1|2    phase 3 in one boot, or two at once (default:
#                               2 when the host has 2 or more cpus)
#   TIPC_RX_KERNEL_LANE2=a,b    the groups of the second boot (default
#                               cli-netns3,pubsub-1node,streams-netns3,
#                               reqrep-netns3)
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
# The CLI's end-to-end tests run the real binary, dist/cli/main.js: built
# here on the host (the guest sees the host's files read-only), as npm test
# does, unless it is already newer than every source.
if [ ! -f dist/cli/main.js ] ||
   [ -n "$(find cli core codecs errors bindings -name '*.ts' -newer dist/cli/main.js 2>/dev/null | head -1)" ]; then
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
  plan=(@group=kernel test/kernel/*.test.ts)
  # The docs' code blocks that need kernel TIPC (test/docs/code-blocks.test.ts
  # runs the blocks marked <!-- doc-test: kernel -->, npm test the rest).
  plan+=(@group=docs test/docs/code-blocks.test.ts)
  if compgen -G 'test/conformance/*.test.ts' >/dev/null; then
    plan+=(@group=conformance-1node test/conformance/*.test.ts
           @group=conformance-netns3 @netns=3 test/conformance/*.test.ts)
  fi
  # The topic layer's suite (test/pubsub/suite/) on the kernel, the same two
  # shapes: its harness is the conformance harness, so the same variables
  # pick the tipc cluster.
  if compgen -G 'test/pubsub/suite/*.test.ts' >/dev/null; then
    plan+=(@group=pubsub-1node test/pubsub/suite/*.test.ts
           @group=pubsub-netns3 @netns=3 test/pubsub/suite/*.test.ts)
  fi
  # SEQPACKET streams (test/streams/suite/) the same way: the topic suite's
  # harness, so the same variables pick the tipc cluster; the netns shape is
  # where a node going down ends a stream with NO_NODE.
  if compgen -G 'test/streams/suite/*.test.ts' >/dev/null; then
    plan+=(@group=streams-1node test/streams/suite/*.test.ts
           @group=streams-netns3 @netns=3 test/streams/suite/*.test.ts)
  fi
  # Request/reply (test/reqrep/suite/) the same way: the topic suite's
  # harness; the netns shape is where a request crosses nodes.
  if compgen -G 'test/reqrep/suite/*.test.ts' >/dev/null; then
    plan+=(@group=reqrep-1node test/reqrep/suite/*.test.ts
           @group=reqrep-netns3 @netns=3 test/reqrep/suite/*.test.ts)
  fi
  # The CLI as a user types it, on kernel TIPC: the tests whose processes
  # meet each other (tail, publish, topics, who, watch, bench, demo,
  # request, reply, tail --from) and
  # doctor, which reports the kernel's TIPC. suite.sh sets
  # TIPC_RX_CLI_TEST_TRANSPORT=tipc; with the netns cluster up every process
  # starts on the next node in turn (test/cli/tipc-rx-bin.ts).
  plan+=(@group=cli-netns3 @netns=3)
  for f in tail-publish-acks tail-publish-sigkill publish-stdin-10000 tail-select tail-avro \
           directory-topics-who directory-watch bench demo doctor request-reply request-reply-failures tail-from; do
    plan+=("test/cli/$f.test.ts")
  done
fi
# TIPC_RX_KERNEL_GROUPS=a,b: only these groups of the full plan (and their
# @netns lines), e.g. to iterate on one group without the others' minutes.
if [ $# -eq 0 ] && [ -n "${TIPC_RX_KERNEL_GROUPS:-}" ]; then
  kept=() keep=0
  for item in "${plan[@]}"; do
    case $item in
    @group=*) case ",$TIPC_RX_KERNEL_GROUPS," in *",${item#@group=},"*) keep=1 ;; *) keep=0 ;; esac ;;
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
# Lanes: a guest has one vCPU, so one boot leaves a second core idle. On a
# host with 2 or more cpus the groups of TIPC_RX_KERNEL_LANE2 run in a second
# UML boot at the same time as the others. The default split is by measured
# time: CI on a quiet 2-cpu host (00b8ae0), per group in s: kernel 100,
# docs 17, conformance-1node 21, conformance-netns3 22, pubsub-1node 87,
# pubsub-netns3 129, streams-1node 43, streams-netns3 20, reqrep-1node 47,
# reqrep-netns3 23, cli-netns3 247 (each tipc-rx process takes about 6 s to
# start in the guest). Boot 1 then took 493 s and boot 2 308 s; with
# pubsub-1node moved to boot 2, a full run took 306 and 473 s (the CLI
# group alone 247-327 s from run to run: it is the one large piece).
# TIPC_RX_KERNEL_LANES=1 keeps everything in one boot.
lanes=${TIPC_RX_KERNEL_LANES:-$([ "$(nproc)" -ge 2 ] && echo 2 || echo 1)}
lane2_groups=${TIPC_RX_KERNEL_LANE2:-cli-netns3,pubsub-1node,streams-netns3,reqrep-netns3}
lane1=() lane2=() lane=1
for item in "${args[@]}"; do
  case $item in
  @group=*) lane=1; [ "$lanes" -ge 2 ] && case ",$lane2_groups," in *",${item#@group=},"*) lane=2 ;; esac ;;
  esac
  if [ $lane = 1 ]; then lane1+=("$item"); else lane2+=("$item"); fi
done
run_boot() { # label, items...
  # npm_config_cache: npm (if a test calls it) cannot write ~/.npm on the
  # read-only root. NODE_OPTIONS: stack traces point at the .ts sources.
  # TIPCVM_TIMEOUT: the boot's bound (uml-run.sh's default is 600 s). The
  # plan outgrew it on a busy 2-core host (the groups before the pubsub ones
  # alone ran past 600 s at load 20); each file has its own bound anyway.
  local label=$1; shift
  TIPC_RX_KERNEL=1 npm_config_cache=/tmp/npm NODE_OPTIONS="${NODE_OPTIONS:-} --enable-source-maps" \
    TIPCVM_TIMEOUT="${TIPCVM_TIMEOUT:-1500}" TIPCVM_TIMINGS=1 "$vm/uml-run.sh" bash "$vm/suite.sh" "$runner" "$@"
}
if [ $nfiles -gt 0 ]; then
  t0=$(now)
  lane2_log= lane2_pid=
  if [ ${#lane2[@]} -gt 0 ] && [ ${#lane1[@]} -gt 0 ]; then
    phase "kernel suite: $nfiles test file runs in two UML boots at once (runner: $runner); boot 2 runs $lane2_groups, its output follows boot 1's"
    lane2_log="$out/lane2.log"
    run_boot lane2 "${lane2[@]}" >"$lane2_log" 2>&1 & lane2_pid=$!
  else
    phase "kernel suite: $nfiles test file runs in one UML boot (runner: $runner)"
    lane1+=("${lane2[@]}")
  fi
  run_boot lane1 "${lane1[@]}"
  rc=$?
  record "kernel suite (boot 1)" "$(secs "$t0")" "$([ $rc = 0 ] && echo ok || echo "FAIL rc=$rc")"
  [ $rc = 0 ] || overall=1
  if [ -n "$lane2_pid" ]; then
    wait "$lane2_pid"; rc2=$?
    phase "kernel suite, boot 2 ($lane2_groups)"
    cat "$lane2_log"
    record "kernel suite (boot 2)" "$(secs "$t0")" "$([ $rc2 = 0 ] && echo ok || echo "FAIL rc=$rc2")"
    [ $rc2 = 0 ] || overall=1
  fi
fi

if { [ $# -gt 0 ] && [ ${#two_guest_selected[@]} -eq 0 ]; } || [ "${TIPC_RX_SKIP_TWO_GUESTS:-}" = 1 ]; then
  echo "two-guest phase skipped"
  report; exit $overall
fi
if [ "$(id -u)" != 0 ]; then
  echo "test:kernel: the two-guest phase needs root (it creates a host veth pair); set TIPC_RX_SKIP_TWO_GUESTS=1 to skip it" >&2
  overall=1; record "two guests" 0 "FAIL not root"; report; exit $overall
fi

phase "two guests: link and netem check"
t0=$(now)
"$vm/two-guests.sh" "$vm/two-guest-check.sh" "$vm/two-guest-check.sh"
rc=$?
record "two-guest check" "$(secs "$t0")" "$([ $rc = 0 ] && echo ok || echo "FAIL rc=$rc")"
[ $rc = 0 ] || overall=1

# A command line for one node: wait for the peer link, then run the script.
node_cmd() { # script node
  local js="$out/${1%.ts}.js" extra
  extra=$(sed -n "s|^// @two-guests node$2: *||p" "$1" | head -1)
  printf '%q 2 %s && node %q %s' "$vm/wait-links.sh" "${TIPCVM_LINK_TIMEOUT:-20}" "$js" "$extra"
}
scripts=("${two_guest_selected[@]}")
[ $# -gt 0 ] || scripts=(test/kernel/two-guest/*.ts)
for script in "${scripts[@]}"; do
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

report
exit $overall
