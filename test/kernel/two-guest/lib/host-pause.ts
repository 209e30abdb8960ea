// The guest side of two-guests.sh's pause channel: ask the host to stop a
// guest (SIGSTOP of its UML kernel process, as a long GC pause would stop a
// node) for some milliseconds, and learn when the host stopped and resumed
// it. The protocol and the host side are in test/kernel/vm/two-guests.sh
// and pause-watcher.sh. Times are the host's wall clock in ms; a UML guest's
// wall clock is the host's (it reads the host's clocks), so they compare
// with Date.now() in either guest to within a few ms.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface PauseTimes {
  /** When the host had stopped the guest (host epoch ms). */
  stoppedAt: number
  /** When the host resumed it (host epoch ms); undefined until then. */
  continuedAt?: number
  /** How many host processes were stopped. */
  processes: number
}

export interface PauseRequest {
  readonly id: string
  /** Resolves once the guest is stopped. */
  readonly stopped: Promise<PauseTimes>
  /** Resolves once the guest runs again. */
  readonly continued: Promise<Required<PauseTimes>>
}

const POLL_MS = 10

function pauseDir(): string {
  const dir = process.env.TIPCVM_PAUSE_DIR
  if (!dir) throw new Error('TIPCVM_PAUSE_DIR is not set: run me through test/kernel/vm/two-guests.sh')
  return dir
}

function fields(line: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of line.matchAll(/(\w+)=([\d.]+)/g)) out[m[1]!] = Number(m[2])
  return out
}

/** Poll for `file` (or the request's .failed answer) until `deadlineMs` passes. */
async function answer(dir: string, id: string, suffix: string, deadlineMs: number): Promise<Record<string, number>> {
  const file = join(dir, `${id}.${suffix}`)
  const failed = join(dir, `${id}.failed`)
  const deadline = Date.now() + deadlineMs
  for (;;) {
    if (existsSync(file)) return fields(readFileSync(file, 'utf8'))
    if (existsSync(failed)) throw new Error(`pause ${id}: the host refused: ${readFileSync(failed, 'utf8').trim()}`)
    if (Date.now() > deadline) throw new Error(`pause ${id}: no ${suffix} answer from the host in ${deadlineMs} ms`)
    await new Promise(r => setTimeout(r, POLL_MS))
  }
}

let requests = 0

/**
 * Ask the host to stop guest `node` (1 or 2) for `ms` milliseconds. Returns
 * at once; the host acts within a few tens of ms (it polls).
 */
export function requestPause(node: number, ms: number): PauseRequest {
  const dir = pauseDir()
  const id = `node${process.env.TIPCVM_NODE ?? '?'}-${process.pid}-${++requests}`
  // Written under another name and renamed: the host never reads half a request.
  const tmp = join(dir, `${id}.writing`)
  writeFileSync(tmp, `node=${node} ms=${Math.round(ms)}\n`)
  renameSync(tmp, join(dir, `${id}.request`))
  const stopped = answer(dir, id, 'stopped', 10_000).then(f => ({ stoppedAt: f.stopped! * 1000, processes: f.processes! }))
  const continued = stopped.then(async s => {
    const f = await answer(dir, id, 'done', ms + 10_000)
    return { ...s, continuedAt: f.continued! * 1000 }
  })
  // Callers may await only one of the two; the other must not go unhandled.
  continued.catch(() => {})
  return { id, stopped, continued }
}
