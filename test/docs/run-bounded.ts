// Run a command to its end, within a time limit. The command gets a process
// group of its own, so on timeout, and after it exits, whatever it left
// running (a server it spawned, a shell's background job) is killed with it:
// a code block must exit on its own and leave nothing behind.
import { spawn } from 'node:child_process'

export interface BoundedRun {
  /** Exit code; null when it was killed. */
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly timedOut: boolean
  readonly ms: number
  /** stdout and stderr interleaved as they came (the last 64 KiB). */
  readonly output: string
}

export interface BoundedOptions {
  readonly cwd: string
  readonly env: NodeJS.ProcessEnv
  readonly timeoutMs: number
}

const KEEP = 64 * 1024

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function runBounded(command: string, args: readonly string[], options: BoundedOptions): Promise<BoundedRun> {
  const started = Date.now()
  return new Promise(resolve => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true, // its own process group, for killGroup
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const keep = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      if (output.length > 2 * KEEP) output = output.slice(-KEEP)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child.pid)
    }, options.timeoutMs)
    let settled = false
    const settle = (run: Omit<BoundedRun, 'ms' | 'timedOut'>): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ ...run, timedOut, ms: Date.now() - started })
    }
    child.on('error', err => settle({ code: null, signal: null, output: `cannot run ${command}: ${err.message}` }))
    // On exit, kill what it left behind: a leftover child would hold the
    // pipes open, and 'close' (all output read) would never come.
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
    const finish = (): void => {
      if (exit !== undefined) settle({ ...exit, output: output.length > KEEP ? output.slice(-KEEP) : output })
    }
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      killGroup(child.pid)
      setTimeout(finish, 2000).unref() // in case a pipe is held by something outside the group
    })
    child.on('close', finish)
  })
}
