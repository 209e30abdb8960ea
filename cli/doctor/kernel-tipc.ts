// What the kernel says about its TIPC, read the way an operator would: the
// module's version from /sys, bearers, links and the node's identity from
// iproute2's `tipc` (JSON), and the cluster key settings from /proc. The
// kernel has no way to read a cluster key back (netlink can set and flush
// keys, never get them), so whether one is set is reported as unknown, with
// what can be seen: whether automatic key exchange is enabled. No C++: the
// binding offers no netlink, and this is all a shell user could learn too.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { release } from 'node:os'

/** Where doctor reads the system from: the real one, or a test's. */
export interface SystemAccess {
  /** A file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined
  /** A command's stdout; `missing` when it is not installed, `error` when it failed. */
  run(command: string, args: string[]): { stdout: string } | { missing: true } | { error: string }
  /** The kernel release (uname -r). */
  kernelRelease(): string
}

export const realSystem: SystemAccess = {
  readFile: path => {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      return undefined
    }
  },
  run: (command, args) => {
    try {
      return { stdout: execFileSync(command, args, { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'pipe'] }) }
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string }
      if (e.code === 'ENOENT') return { missing: true }
      return { error: (e.stderr ?? '').trim() || e.message }
    }
  },
  kernelRelease: () => release(),
}

export interface ToolAnswer {
  /** `tipc -j ...` parsed, when it answered. */
  value?: unknown
  /** Why not. */
  error?: string
}

export interface KernelTipc {
  release: string
  /** /sys/module/tipc: present when the module is loaded (or built in). */
  module: { loaded: boolean; version: string | null }
  /** iproute2's tipc: null when it is not installed. */
  tool: { bearers: ToolAnswer; links: ToolAnswer; identity: ToolAnswer; netid: ToolAnswer } | null
  clusterKey: { set: null; keyExchangeEnabled: boolean | null; note: string }
}

function ask(system: SystemAccess, args: string[]): ToolAnswer | 'missing' {
  const r = system.run('tipc', ['-j', ...args])
  if ('missing' in r) return 'missing'
  if ('error' in r) return { error: r.error }
  try {
    return { value: r.stdout.trim() === '' ? [] : JSON.parse(r.stdout) as unknown }
  } catch {
    return { value: r.stdout.trim() }
  }
}

export function kernelTipc(system: SystemAccess): KernelTipc {
  const version = system.readFile('/sys/module/tipc/version')?.trim()
  const loaded = version !== undefined || system.readFile('/sys/module/tipc/initstate') !== undefined
  const bearers = ask(system, ['bearer', 'list'])
  const tool = bearers === 'missing' ? null : {
    bearers,
    links: ask(system, ['link', 'list']) as ToolAnswer,
    identity: ask(system, ['node', 'get', 'identity']) as ToolAnswer,
    netid: ask(system, ['node', 'get', 'netid']) as ToolAnswer,
  }
  const exchange = system.readFile('/proc/sys/net/tipc/key_exchange_enabled')?.trim()
  return {
    release: system.kernelRelease(),
    module: { loaded, version: version ?? null },
    tool,
    clusterKey: {
      set: null,
      keyExchangeEnabled: exchange === undefined ? null : exchange !== '0',
      note: 'the kernel cannot report whether a cluster key is set (keys are write-only: tipc node set key / flush key)',
    },
  }
}

/** How to get kernel TIPC where it is absent. */
export const LOAD_TIPC = 'sudo modprobe tipc (on Ubuntu the module is in linux-modules-extra-$(uname -r)); ' +
  'in a container, the host loads it; then tipc bearer enable media eth dev <interface> to reach other hosts'
