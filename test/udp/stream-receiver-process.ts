// The parent's handle on fixtures/stream-receiver.ts: start it, call it with
// a deadline (a frozen or broken child fails the call with a message saying
// which call, instead of hanging the test), freeze and thaw it with
// SIGSTOP / SIGCONT, and make sure it never outlives this process, stopped.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

// The fixture in this file's own form: the .ts beside the source, or its
// compiled .js when the tests run precompiled (tools/test-compiled.mjs).
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
const FIXTURE = fileURLToPath(new URL(`./fixtures/stream-receiver${ext}`, import.meta.url))

/** Starting a process through the TypeScript loader takes seconds, more on a busy machine. */
const START_TIMEOUT_MS = 60_000
const CALL_TIMEOUT_MS = 10_000

type Reply = Record<string, unknown>

export class ReceiverProcess {
  private readonly child: ChildProcess
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (m: Reply) => void; reject: (e: Error) => void }>()
  private exitCode: number | null | undefined
  /** True between stop() and resume(). */
  stopped = false
  private readonly killOnExit = () => this.kill()

  private constructor() {
    this.child = spawn(process.execPath, [...process.execArgv, FIXTURE], { stdio: ['pipe', 'pipe', 'inherit'] })
    process.once('exit', this.killOnExit)
    this.child.once('exit', code => {
      this.exitCode = code
      process.off('exit', this.killOnExit)
      for (const w of this.waiting.values()) w.reject(new Error(`the receiver process exited (code ${String(code)})`))
      this.waiting.clear()
    })
  }

  static async start(): Promise<ReceiverProcess> {
    const p = new ReceiverProcess()
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the receiver process did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
      p.child.once('exit', code => { clearTimeout(timer); reject(new Error(`the receiver process exited at start (code ${String(code)})`)) })
      createInterface({ input: p.child.stdout! }).on('line', line => {
        const m = JSON.parse(line) as Reply
        if (m.ready) {
          clearTimeout(timer)
          resolve()
          return
        }
        const w = p.waiting.get(m.id as number)
        p.waiting.delete(m.id as number)
        if (!w) return
        if (typeof m.error === 'string') w.reject(new Error(`receiver: ${m.error}`))
        else w.resolve(m)
      })
    })
    return p
  }

  get alive(): boolean {
    return this.exitCode === undefined
  }

  /** One request; rejects if no answer comes within `timeoutMs` (the process is then of no further use). */
  call(op: string, args: Record<string, unknown> = {}, timeoutMs = CALL_TIMEOUT_MS): Promise<Reply> {
    if (!this.alive) return Promise.reject(new Error(`the receiver process has exited; cannot ${op}`))
    if (this.stopped) return Promise.reject(new Error(`the receiver process is stopped; cannot ${op}`))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id)
        reject(new Error(`the receiver did not answer '${op}' within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiting.set(id, {
        resolve: m => { clearTimeout(timer); resolve(m) },
        reject: e => { clearTimeout(timer); reject(e) },
      })
      this.child.stdin!.write(JSON.stringify({ ...args, op, id }) + '\n')
    })
  }

  /** Freeze the whole process, timers and socket included (SIGSTOP: what a long GC pause looks like from outside). */
  stop(): void {
    this.stopped = true
    this.child.kill('SIGSTOP')
  }

  resume(): void {
    this.stopped = false
    this.child.kill('SIGCONT')
  }

  /** SIGKILL (which ends a stopped process too). */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL')
  }

  /** Ask it to leave (its stdin closes), killing it if it does not within a second. */
  async exit(): Promise<void> {
    if (!this.alive) return
    if (this.stopped) this.resume()
    const gone = new Promise<void>(resolve => this.child.once('exit', () => resolve()))
    this.child.stdin!.end()
    const timer = setTimeout(() => this.kill(), 1000)
    await gone
    clearTimeout(timer)
  }
}
