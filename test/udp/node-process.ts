// Start a udp node fixture in a child process (optionally inside a network
// namespace, with `ip netns exec`) and talk to it.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { UdpTransportOptions } from '../../core/transports/udp/options.js'

// The fixture in this file's own form: the .ts beside the source, or its
// compiled .js when the tests run precompiled (tools/test-compiled.mjs).
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
const FIXTURE = fileURLToPath(new URL(`./fixtures/udp-node${ext}`, import.meta.url))

export class NodeProcess {
  readonly child: ChildProcess
  node = 0
  private nextId = 1
  private readonly waiting = new Map<number, (m: Record<string, unknown>) => void>()
  private readyResolve!: () => void
  readonly ready: Promise<void>
  readonly exited: Promise<number | null>

  /**
   * `fixture`: another script that speaks the same JSON lines (ready first,
   * then answers by id), and node's flags for it (default: this process's,
   * which load TypeScript; none for a compiled one).
   */
  constructor(options: UdpTransportOptions, netns?: string, fixture: { script: string; nodeArgs: readonly string[] } = { script: FIXTURE, nodeArgs: process.execArgv }) {
    const args = [...fixture.nodeArgs, fixture.script, JSON.stringify(options)]
    this.child = netns
      ? spawn('ip', ['netns', 'exec', netns, process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
      : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] })
    this.ready = new Promise(resolve => { this.readyResolve = resolve })
    this.exited = new Promise(resolve => this.child.once('exit', code => resolve(code)))
    createInterface({ input: this.child.stdout! }).on('line', line => {
      const m = JSON.parse(line) as Record<string, unknown>
      if (m.ready) {
        this.node = m.node as number
        this.readyResolve()
      } else {
        this.waiting.get(m.id as number)?.(m)
        this.waiting.delete(m.id as number)
      }
    })
  }

  call(op: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++
    return new Promise(resolve => {
      this.waiting.set(id, resolve)
      this.child.stdin!.write(JSON.stringify({ ...args, op, id }) + '\n')
    })
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal)
  }
}
