// What happened in one seed, as the application saw it: every publish (its
// value, its options, what its promise or Observable gave back and how many
// times), and every subscriber (its socket, what its consumer was handed and
// what it finished processing, its gaps). The checker reads only this.
import type { Gap } from '../../../core/pubsub/decode-stage.js'
import type { Delivery } from '../../../core/pubsub/delivery.js'
import type { AckMode, Outcome, Receipt } from '../../../core/pubsub/outcome.js'
import type { SocketAddress } from '../../../core/transport-contract/index.js'
import type { SubscriptionKind } from './sim-scenario.js'

/** The value every publish carries: who published it, its publish id, and bytes the checker can recompute. */
export interface SimValue {
  p: number
  n: number
  body: string
}

export interface Published {
  id: number
  node: number
  key: string | undefined
  ack: AckMode
  value: SimValue
  /** The body's length: the checker recomputes the body from it. */
  bytes: number
  /** Whether it went through publish$ (else publish()). */
  observable: boolean
  receipts: Receipt[]
  errors: Array<{ code: string; message: string }>
  /** publish$ only: the outcome events, and whether it completed. */
  outcomeEvents: Outcome[]
  completed: boolean
}

/** One delivery as a consumer saw it. */
export interface Handled {
  publisher: SocketAddress
  stream: bigint
  seq: number
  attempt: number
  key: string | undefined
  value: unknown
}

export interface SimSubscriber {
  id: number
  node: number
  what: SubscriptionKind
  /** Its socket, known once it is bound. */
  address: SocketAddress | undefined
  /** Handed to the consumer (the handler started). */
  received: Handled[]
  /** The consumer finished with it: what an 'acked' outcome promises. */
  processed: Handled[]
  /** The consumer refused it (its promise rejected): not processed, never to be acked. */
  refused: Handled[]
  /** The consumer nak'd it (manual mode, first attempt): it is to be handed again. */
  naked: Handled[]
  gaps: Gap[]
  errors: string[]
  unsubscribed: boolean
}

export class Ledger {
  readonly published = new Map<number, Published>()
  readonly subscribers = new Map<number, SimSubscriber>()
  readonly crashed = new Set<number>()

  /** The node id (transport.node) of each node index. */
  readonly nodeIds: number[] = []

  publish(sent: Pick<Published, 'id' | 'node' | 'key' | 'ack' | 'value' | 'bytes' | 'observable'>): Published {
    const p: Published = { ...sent, receipts: [], errors: [], outcomeEvents: [], completed: false }
    this.published.set(p.id, p)
    return p
  }

  subscriber(id: number, node: number, what: SubscriptionKind): SimSubscriber {
    const s: SimSubscriber = { id, node, what, address: undefined, received: [], processed: [], refused: [], naked: [], gaps: [], errors: [], unsubscribed: false }
    this.subscribers.set(id, s)
    return s
  }

  /** The subscriber bound to a socket (undefined: no subscription of this seed has it). */
  bySocket(a: SocketAddress): SimSubscriber | undefined {
    return [...this.subscribers.values()].find(s => s.address?.node === a.node && s.address.ref === a.ref)
  }

  /** Publishes whose promise or Observable has not answered. */
  get unanswered(): number {
    return [...this.published.values()].filter(p => p.receipts.length + p.errors.length === 0).length
  }
}

export function handled(d: Delivery<unknown>): Handled {
  return { publisher: d.publisher, stream: d.stream, seq: d.sequence, attempt: d.attempt, key: d.key, value: d.value }
}

/** The bytes of publish n: recomputable, so a corrupted value cannot pass. */
export function bodyOf(p: number, n: number, bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const start = (p * 7 + n * 13) % alphabet.length
  const pattern = alphabet.slice(start) + alphabet.slice(0, start)
  return pattern.repeat(Math.ceil(bytes / pattern.length)).slice(0, bytes)
}
