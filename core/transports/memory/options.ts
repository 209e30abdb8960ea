// How a MemoryNetwork behaves: its seed, its limits, and the faults it
// injects. Defaults mirror TIPC closely enough for the upper layers to meet
// the same situations (congestion, OVERLOAD) they meet on a kernel.
import { InvalidArgumentError } from '../../transport-contract/errors.js'

/**
 * Faults injected into RDM data (not into returned messages, topology
 * events or connections, which TIPC carries reliably). Each is a
 * probability in [0, 1], drawn from the network's seeded PRNG per packet
 * on a link (a multicast is one packet per destination node); `overload`
 * per socket a message is offered to.
 */
export interface FaultPlan {
  /** The message is lost silently (what a broken link would do). */
  drop?: number
  /** The message is delivered twice. */
  duplicate?: number
  /** The message is held back so that later messages on its link overtake it. */
  reorder?: number
  /** The link stalls before this message (order kept, delivery later). */
  delay?: number
  /** Most ticks a delayed or reordered message waits (default 4). */
  maxDelayTicks?: number
  /** The receiving socket rejects the message as if its queue were full: OVERLOAD is returned. */
  overload?: number
}

export interface MemoryNetworkOptions {
  /** PRNG seed for faults (default 1). */
  seed?: number
  faults?: FaultPlan
  /** Packets in flight per link (node to node) before send() reports congestion (default 256). */
  linkWindow?: number
  /** Messages an RDM socket holds unread before senders get OVERLOAD (default 1000). */
  receiveQueueLimit?: number
  /** Messages a connection lets the peer hold unconsumed before send() returns false (default 64). */
  connectionWindow?: number
  /** Most messages handed to a handler in one batch (default 64). */
  batchSize?: number
  /** The first node id handed out (default 0x01001001, TIPC's <1.1.1>); later ones count up. */
  firstNode?: number
}

export interface ResolvedFaults {
  drop: number
  duplicate: number
  reorder: number
  delay: number
  maxDelayTicks: number
  overload: number
}

export interface ResolvedOptions {
  seed: number
  faults: ResolvedFaults
  linkWindow: number
  receiveQueueLimit: number
  connectionWindow: number
  batchSize: number
  firstNode: number
}

function probability(name: string, p: number | undefined): number {
  if (p === undefined) return 0
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new InvalidArgumentError(`fault ${name} must be a probability in [0, 1], got ${String(p)}`)
  return p
}

function positive(name: string, n: number | undefined, fallback: number): number {
  if (n === undefined) return fallback
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(n)}`)
  return n
}

export function resolveFaults(f: FaultPlan = {}): ResolvedFaults {
  return {
    drop: probability('drop', f.drop),
    duplicate: probability('duplicate', f.duplicate),
    reorder: probability('reorder', f.reorder),
    delay: probability('delay', f.delay),
    maxDelayTicks: positive('maxDelayTicks', f.maxDelayTicks, 4),
    overload: probability('overload', f.overload),
  }
}

export function resolveOptions(o: MemoryNetworkOptions = {}): ResolvedOptions {
  const seed = o.seed ?? 1
  if (!Number.isInteger(seed)) throw new InvalidArgumentError(`seed must be an integer, got ${String(seed)}`)
  const firstNode = o.firstNode ?? 0x01001001
  if (!Number.isInteger(firstNode) || firstNode < 1 || firstNode > 0xffffffff) {
    throw new InvalidArgumentError(`firstNode must be a 32-bit node id above 0, got ${String(firstNode)}`)
  }
  return {
    seed,
    faults: resolveFaults(o.faults),
    linkWindow: positive('linkWindow', o.linkWindow, 256),
    receiveQueueLimit: positive('receiveQueueLimit', o.receiveQueueLimit, 1000),
    connectionWindow: positive('connectionWindow', o.connectionWindow, 64),
    batchSize: positive('batchSize', o.batchSize, 64),
    firstNode,
  }
}
