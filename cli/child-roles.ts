// tipc-rx running parts of itself as child processes: bench's publishers and
// subscribers, demo's subscribers. A child is this very CLI (the script the
// user ran, with node's own flags), started with a hidden subcommand, and
// talks to its parent over node's IPC channel. No child outlives the command:
// they are killed when the parent exits, on Ctrl-C or SIGTERM too, and a
// child whose parent vanished (SIGKILL) exits when its IPC channel closes.
import { fork, type ChildProcess } from 'node:child_process'
import { constants } from 'node:os'
import { TipcRxError } from '../core/index.js'
import type { GlobalArgs } from './global-options.js'

/** How long Ctrl-C waits for the killed children to be reaped before exiting anyway. */
const REAP_WAIT_MS = 2000

/** A child role that failed: exited early, or never said what was asked of it. */
export class ChildRoleError extends TipcRxError {
  constructor(message: string, cause?: unknown) {
    super('ERR_TIPC_RX_CHILD_ROLE', message, cause === undefined ? {} : { cause })
  }
}

export interface RoleChild {
  readonly name: string
  readonly process: ChildProcess
  /** Resolves when the child has exited: its code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Whether the command is being interrupted (Ctrl-C): its children's deaths are then expected, not failures. */
  readonly interrupted: () => boolean
}

/** The global flags a child needs to reach the same cluster as its parent. */
export function childGlobalArgs(args: GlobalArgs): string[] {
  const out = ['--transport', args.transport]
  if (args.cluster !== undefined) out.push('--cluster', String(args.cluster))
  if (args.keyFile !== undefined) out.push('--key-file', args.keyFile)
  return out
}

/** The children of one command; every one is killed when the command ends, however it ends. */
export class ChildRoles {
  private readonly children = new Set<RoleChild>()
  private interrupted = false
  private readonly killOnExit = (): void => this.killAll('SIGKILL')
  // Ctrl-C: the children die first, and are waited for (reaped: where PID 1
  // reaps nothing, as in some containers, an orphan would stay a zombie).
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.interrupted = true
    this.killAll('SIGKILL')
    const exit = (): never => process.exit(128 + (constants.signals[signal] ?? 0))
    setTimeout(exit, REAP_WAIT_MS).unref()
    void Promise.all([...this.children].map(c => c.exited)).then(exit)
  }

  constructor() {
    process.on('exit', this.killOnExit)
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
  }

  /** Starts `tipc-rx ...args` as a child with an IPC channel; its stderr is ours (its errors reach the user). */
  start(name: string, args: string[]): RoleChild {
    const script = process.argv[1]
    if (script === undefined) throw new ChildRoleError('cannot tell which script is tipc-rx (process.argv[1] is empty)')
    const child = fork(script, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve => {
      child.once('exit', (code, signal) => resolve({ code, signal }))
    })
    const role: RoleChild = { name, process: child, exited, interrupted: () => this.interrupted }
    this.children.add(role)
    void exited.then(() => this.children.delete(role))
    return role
  }

  killAll(signal: NodeJS.Signals): void {
    for (const c of this.children) {
      if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill(signal)
    }
  }

  /** Waits for every child to exit (after asking them to), then stops watching the process's end. */
  async dispose(graceMs = 5000): Promise<void> {
    const pending = [...this.children]
    const timer = setTimeout(() => this.killAll('SIGKILL'), graceMs)
    await Promise.all(pending.map(c => c.exited))
    clearTimeout(timer)
    process.off('exit', this.killOnExit)
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
  }
}

/**
 * The first message from `child` that `accept` takes, within `timeoutMs`
 * (none: as long as the child lives); ChildRoleError when the child exits
 * first or the time runs out, naming what was awaited. Never settles when
 * the child was killed by Ctrl-C: the command is exiting, and its children
 * dying is not what went wrong.
 */
export function messageFrom<M>(child: RoleChild, accept: (message: unknown) => M | undefined, what: string, timeoutMs?: number): Promise<M> {
  return new Promise<M>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer)
      child.process.off('message', onMessage)
      child.process.off('exit', onExit)
    }
    const onMessage = (message: unknown): void => {
      const taken = accept(message)
      if (taken === undefined) return
      done()
      resolve(taken)
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      done()
      if (child.interrupted()) return
      reject(new ChildRoleError(`${child.name} exited (${signal ?? `code ${code}`}) before ${what}`))
    }
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      done()
      reject(new ChildRoleError(`${child.name}: no ${what} within ${timeoutMs / 1000} s`))
    }, timeoutMs)
    child.process.on('message', onMessage)
    child.process.once('exit', onExit)
  })
}

/** In a child: a message to the parent; resolves once it is on its way. */
export function tellParent(message: unknown): Promise<void> {
  return new Promise(resolve => {
    if (process.send === undefined || !process.connected) resolve()
    else process.send(message, undefined, {}, () => resolve())
  })
}

/** In a child: exit when the parent goes away (its IPC channel closes), so nothing is left behind. */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0))
}
