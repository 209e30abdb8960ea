// Waiting for what a test expects, transport-agnostic. Deadlines here only
// turn a hang into a clear failure; no test asserts on time.
import type { ServiceRange } from '../../core/transport-contract/address.js'
import type { ReceivedMessage } from '../../core/transport-contract/message.js'
import type { RdmSocket } from '../../core/transport-contract/rdm-socket.js'
import type { BatchHandler } from '../../core/transport-contract/message.js'
import type { BindingEvent } from '../../core/transport-contract/topology.js'
import type { Transport } from '../../core/transport-contract/transport.js'

export const DEADLINE_MS = 15000

const tick = () => new Promise<void>(resolve => setTimeout(resolve, 1))

/** Poll `fn` until it returns something other than undefined. */
export async function until<T>(fn: () => T | undefined, what: string, ms = DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await tick()
  }
}

/** Everything a receiver was handed, message by message, and how many batches. */
export class Inbox {
  readonly messages: ReceivedMessage[] = []
  batches = 0
  readonly handler: BatchHandler = batch => {
    this.batches++
    for (const m of batch) this.messages.push(m)
  }

  get data(): ReceivedMessage[] {
    return this.messages.filter(m => !m.returned)
  }

  get returns(): ReceivedMessage[] {
    return this.messages.filter(m => m.returned)
  }

  texts(): string[] {
    return this.data.map(m => str(m.data))
  }

  /** Wait until at least n messages (data or returned) arrived. */
  count(n: number, what = `${n} messages`): Promise<ReceivedMessage[]> {
    return until(() => (this.messages.length >= n ? this.messages : undefined), what)
  }

  /** Wait until a data message with this text arrived: a marker proving what was sent before it has arrived. */
  marker(text: string): Promise<ReceivedMessage> {
    return until(() => this.data.find(m => str(m.data) === text), `marker '${text}'`)
  }
}

export function inbox(socket: { onMessages(h: BatchHandler): void }): Inbox {
  const box = new Inbox()
  socket.onMessages(box.handler)
  return box
}

/** Topology events of one subscription. */
export function watch(transport: Transport, range: ServiceRange, filter: 'ports' | 'service' = 'ports') {
  const events: BindingEvent[] = []
  const subscription = transport.subscribe(range, e => events.push(e), { filter })
  return { events, subscription }
}

/**
 * Wait until `observer` sees `count` bindings overlapping `range`. Across
 * nodes, a binding is known elsewhere only after the name table has spread
 * it (udp, tipc): tests that send from another node wait for this first.
 */
export async function bindingsVisible(observer: Transport, range: ServiceRange, count: number): Promise<void> {
  const live = new Set<string>()
  const sub = observer.subscribe(range, e => {
    const key = `${e.socket.node}:${e.socket.ref}:${e.range.lower}:${e.range.upper}`
    if (e.kind === 'published') live.add(key)
    else live.delete(key)
  })
  try {
    await until(() => (live.size >= count ? true : undefined), `${count} bindings of ${range.type} seen from node ${observer.node}`)
  } finally {
    sub.cancel()
  }
}

/** Send, waiting out congestion: never gives up on a false. */
export async function sendAll(socket: RdmSocket, dest: Parameters<RdmSocket['send']>[0], data: Uint8Array): Promise<void> {
  while (!socket.send(dest, data)) await socket.writable()
}

export const text = (s: string): Uint8Array => Buffer.from(s)
export const str = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString()
