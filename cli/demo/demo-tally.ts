// What the demo's publisher has been told so far, per subscriber: acks, and
// every other outcome by kind (and return code), with the first of each kind
// kept so it can be shown as it happens; and the receipts, before and after
// presence saw the killed subscriber leave.
import type { Outcome, Receipt, SocketAddress } from '../../core/index.js'

export interface DemoSubscriberState {
  readonly name: string
  readonly socket: SocketAddress
  readonly pid: number
  acked: number
  /** Outcomes other than acked: 'returned NO_NODE', 'left', 'timedOut' ... -> count. */
  readonly notAcked: Map<string, number>
}

/** How an outcome is named in the demo's lines: its kind, and the return code when it came back. */
export const outcomeName = (o: Outcome): string => o.code === undefined ? o.kind : `${o.kind} ${o.code}`

/** Why, in words, for an outcome that is not an ack. */
export function outcomeWhy(o: Outcome, timeoutMs: number): string {
  switch (o.code ?? o.kind) {
    case 'NO_NODE': return 'its node was lost (silent past the link tolerance); the copy is not known to be delivered'
    case 'NO_PORT': return 'its socket closed with the message unread'
    case 'NO_NAME': return 'no binding matched any more'
    case 'left': return 'its binding was withdrawn before it acked'
    case 'timedOut': return `no ack within ${timeoutMs / 1000} s`
    case 'terminated': return `it refused the message: ${o.reason ?? 'no reason given'}`
    default: return o.kind
  }
}

/** A node id as iproute2's tipc prints it: 8 hex digits. */
export const nodeText = (node: number): string => node.toString(16).padStart(8, '0')
export const socketText = (s: SocketAddress): string => `${nodeText(s.node)}:${s.ref}`
export const targetOf = (s: SocketAddress): string => `s:${s.node}:${s.ref}`

export class DemoTally {
  readonly subscribers: DemoSubscriberState[] = []
  published = 0
  receipts = 0
  ok = 0
  /** Receipts of messages published after presence saw the victim leave, and how many of them were ok and expected only the others. */
  afterLeave = { receipts: 0, ok: 0, withoutVictim: 0 }

  add(state: Omit<DemoSubscriberState, 'acked' | 'notAcked'>): DemoSubscriberState {
    const s: DemoSubscriberState = { ...state, acked: 0, notAcked: new Map() }
    this.subscribers.push(s)
    return s
  }

  byTarget(target: string): DemoSubscriberState | undefined {
    return this.subscribers.find(s => targetOf(s.socket) === target)
  }

  /** Counts one outcome; true when it is the first of its kind for its subscriber (worth a line of its own). */
  outcome(o: Outcome): { subscriber: DemoSubscriberState | undefined; first: boolean } {
    const subscriber = this.byTarget(o.target)
    if (subscriber === undefined) return { subscriber, first: false }
    if (o.kind === 'acked') {
      subscriber.acked++
      return { subscriber, first: false }
    }
    const name = outcomeName(o)
    const seen = subscriber.notAcked.get(name) ?? 0
    subscriber.notAcked.set(name, seen + 1)
    return { subscriber, first: seen === 0 }
  }

  receipt(r: Receipt, publishedAfterLeave: boolean, victim: DemoSubscriberState | undefined): void {
    this.receipts++
    if (r.ok) this.ok++
    if (!publishedAfterLeave) return
    this.afterLeave.receipts++
    if (r.ok) this.afterLeave.ok++
    if (victim !== undefined && !r.expected.includes(targetOf(victim.socket))) this.afterLeave.withoutVictim++
  }

  /** "sub-1 30  sub-2 27  sub-3 30": acks so far. */
  ackLine(): string {
    return this.subscribers.map(s => `${s.name} ${s.acked}`).join('  ')
  }

  notAckedText(s: DemoSubscriberState): string {
    return [...s.notAcked.entries()].map(([k, n]) => `${k} ${n}`).join(', ')
  }
}
