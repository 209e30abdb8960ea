// The publishing side of one topic: a publisher stream (a random 64-bit id
// and a sequence), the targets each message expects (from presence), the
// first copy (one multicast naming its receivers, or unicast copies when
// there are too many to name), and what follows: acks, naks, returned
// copies and resends, through the ack tracker, within the flow window.
// Plain TypeScript: the topic's public face turns its callbacks into
// Observables and Promises.
import type { Clock, ReturnCode, ServiceRange, SocketAddress } from '../transport-contract/index.js'
import { NoRouteError } from '../transport-contract/index.js'
import { AckTracker } from './ack-tracker.js'
import { DepartureBarrier } from './departure-barrier.js'
import { encodeEnvelope } from './envelope-encode.js'
import { splitPayload } from './chunking.js'
import { dataHeaderSize } from './envelope-size.js'
import { MAX_RECEIVERS_PER_COPY, type AckEnvelope, type GapReason, type NackEnvelope, type Receiver } from './envelope-types.js'
import { NoSubscribersError } from './errors.js'
import { FlowWindow } from './flow-window.js'
import { groupTarget, socketTarget, type AckMode, type Outcome, type Receipt, type TargetId } from './outcome.js'
import type { Outbox } from './outbox.js'
import type { Targets, TopicPresence } from './presence.js'
import { groupDestination, groupInstance, encodeCopy, prevOf, receiverAt, socketRoutes, type PublishCopy, type SocketRoute, type TargetRoute } from './publish-copy.js'
import { memberGone, pinGroup, pinnedTo, retryPin, type GroupPin } from './group-pin.js'
import { MessageReceipts, type PublishObserver } from './message-receipts.js'
import type { ResendPolicy } from './resend-policy.js'
import type { TopicStats } from './stats.js'
import type { ResolvedTopic } from './topic-config.js'
import type { RetainedLog } from './retained-log.js'
import { SeqMap } from './seq-map.js'

/** A message ready to go: its encoded value and where it goes. */
export interface OutgoingMessage {
  payload: Uint8Array
  key: Uint8Array | undefined
  keyInstance: number
  ack: AckMode
  timeoutMs: number
}

export interface PublisherContext {
  topic: ResolvedTopic
  clock: Clock
  random: () => number
  outbox: Outbox
  presence: TopicPresence
  policy: ResendPolicy
  window: FlowWindow
  stats: TopicStats
  maxMessageSize: number
  /** The topic retains (topic option `retain`): every message sent is kept here too. */
  retained?: RetainedLog
}

const ALL: ServiceRange['upper'] = 0xffffffff
/** The prevs of an ack 'none' copy: it names no receiver. Never written. */
const NO_PREVS = Object.freeze([]) as unknown as number[]

export class TopicPublisher {
  readonly stream: bigint
  private seq = 0
  /** Per subscriber socket: the last seq of this stream sent to it (its next copy's prev). */
  private readonly lastSent = new Map<TargetId, number>()
  private readonly inflight = new SeqMap<PublishCopy>()
  private readonly tracker: AckTracker
  private readonly receipts: MessageReceipts
  /** The last routes built, and the presence answer they were built from. */
  private routesFor: Targets | undefined
  private routes: ReadonlyMap<TargetId, TargetRoute> = new Map()
  private routeIds: TargetId[] = []
  private routeSockets: readonly SocketRoute[] = []
  /** An unkeyed message's first copy goes to the whole topic range: one object for every such copy. */
  private readonly topicRange: ServiceRange
  /** Handed to the outbox with each first copy as its context: no closures per message. */
  private readonly firstCopyFailedOf = (err: unknown, copy: PublishCopy): void => this.firstCopyFailed(copy, err)
  private readonly departedOf = (copy: PublishCopy): void => this.tracker.departed(copy.seq)
  /** Targets that left, until their last acks are surely read (departure-barrier.ts). */
  private readonly departures: DepartureBarrier

  constructor(private readonly ctx: PublisherContext) {
    this.stream = randomStream(ctx.random)
    this.receipts = new MessageReceipts(ctx.topic.name)
    this.topicRange = { type: ctx.topic.type, lower: 0, upper: ALL }
    this.tracker = new AckTracker(ctx.clock, ctx.random, ctx.policy, {
      resend: (seq, target, attempt) => this.resend(seq, target, attempt),
      outcome: (seq, o) => this.receipts.outcome(seq, o),
      settled: (seq, r) => this.settled(seq, r),
      abandoned: (seq, target, reason) => this.sendGap(seq, target, reason),
    })
    this.departures = new DepartureBarrier(ctx.clock, {
      probe: (socket, failed) => ctx.outbox.send(socket, encodeEnvelope({ kind: 'control', op: 'probe', topicHash: ctx.topic.hash, stream: this.stream, timestamp: Date.now() }), failed),
      left: (target, throughSeq) => this.tracker.left(target, throughSeq),
    })
  }

  /** Messages (and chunks) sent and not yet settled. */
  get pending(): number {
    return this.inflight.size
  }

  /**
   * Send one message now (the caller has waited for subscribers and for room
   * in the window). Throws NoSubscribersError when nothing subscribes.
   */
  send(m: OutgoingMessage, observer: PublishObserver): void {
    const routes = this.routesTo(this.ctx.presence.targetsFor(m.key === undefined ? undefined : m.keyInstance))
    if (routes.size === 0 && m.ack !== 'none') {
      if (this.ctx.retained === undefined) throw new NoSubscribersError(this.ctx.topic.name)
      // Retained for late joiners, with nobody to ack it now: its receipt is that of fire and forget.
      m = { ...m, ack: 'none' }
    }
    const range: ServiceRange = m.key === undefined
      ? this.topicRange
      : { type: this.ctx.topic.type, lower: m.keyInstance, upper: m.keyInstance }
    const chunks = this.chunksOf(m, routes)
    const now = this.ctx.clock.now()
    if (chunks === undefined) {
      // One seq, the common case: no arrays of chunks, copies and seqs.
      const copy = this.newCopy(m, routes, range, m.payload, undefined)
      this.receipts.open(copy.seq, observer)
      this.retain(m, copy, copy)
      this.sendFirst(copy, m, now)
    } else {
      const routed = this.pinGroups(routes, m)
      const copies = chunks.map(c => this.newCopy(m, routed, range, c.payload, c.chunk))
      this.receipts.openChunked(copies.map(c => c.seq), observer)
      this.retain(m, copies[0]!, copies[copies.length - 1]!)
      for (const copy of copies) this.sendFirst(copy, m, now)
    }
    this.ctx.stats.published++
  }

  private retain(m: OutgoingMessage, first: PublishCopy, last: PublishCopy): void {
    this.ctx.retained?.append({
      seq: first.seq, lastSeq: last.seq, timestamp: first.timestamp,
      key: m.key, keyInstance: m.keyInstance, codecId: this.ctx.topic.codec.id, payload: m.payload,
    })
  }

  /** An ack or nack arrived from a subscriber socket for this stream. */
  feedback(from: SocketAddress, e: AckEnvelope | NackEnvelope): void {
    const target = socketTarget(from)
    if (e.kind === 'ack') {
      // One clock read for the envelope: its acks arrived together.
      const now = this.ctx.clock.now()
      for (const a of e.acks) {
        if (a.op === 'ack') this.tracker.ack(a.seq, target, a.attempt, now)
        else this.tracker.working(a.seq, target, a.attempt)
      }
    } else if (e.op === 'nak') {
      this.tracker.nak(e.seq, target, e.attempt, e.delayMs)
    } else {
      this.tracker.term(e.seq, target, e.attempt, e.reason)
    }
  }

  /** A copy of seq came back undelivered (our own: unicast, anycast, or a multicast copy rejected on this node). */
  returned(seq: number, from: SocketAddress, dest: ServiceRange | undefined, code: ReturnCode): void {
    const copy = this.inflight.get(seq)
    this.ctx.stats.returned[code] = (this.ctx.stats.returned[code] ?? 0) + 1
    if (code === 'OVERLOAD') this.ctx.window.onOverload()
    if (copy === undefined) return
    let target = dest !== undefined && copy.routes.has(groupTarget(dest.type)) ? groupTarget(dest.type) : socketTarget(from)
    if (!copy.routes.has(target)) {
      // A chunk sent to a group's pinned member comes back by unicast: the group is the target.
      for (const [id, route] of copy.routes) {
        if (!('groupType' in route) || route.pin === undefined || !pinnedTo(route.pin, from)) continue
        target = id
        if (code !== 'OVERLOAD') this.memberGone(copy, route, from)
        break
      }
    }
    this.tracker.returned(seq, target, code)
  }

  /** A subscriber socket's (or a whole group's: `socket` its last member) last binding was withdrawn: what waits on it fails as 'left' once its last acks are read. */
  left(target: TargetId, socket: SocketAddress): void {
    this.lastSent.delete(target)
    this.departures.departed(target, socket, this.seq)
  }

  /** A probe this stream sent to a departed socket came back from it; false if none was out for it. */
  probeReturned(from: SocketAddress): boolean {
    return this.departures.returned(from)
  }

  close(reason: Error): void {
    this.departures.close()
    this.tracker.close(reason.message)
    this.receipts.failAll(reason)
    this.inflight.clear()
  }

  /**
   * Every target of a message and how to reach it. Presence answers an
   * unkeyed publish with the same Targets until a binding changes, so the
   * routes built from it are reused (copies only read them): no target ids,
   * Map and route objects per message.
   */
  private routesTo(targets: Targets): ReadonlyMap<TargetId, TargetRoute> {
    if (targets === this.routesFor) return this.routes
    const routes = new Map<TargetId, TargetRoute>()
    for (const s of targets.sockets) routes.set(socketTarget(s), { socket: s })
    for (const g of targets.groups) routes.set(groupTarget(g), { groupType: g })
    this.routesFor = targets
    this.routes = routes
    this.routeIds = [...routes.keys()]
    this.routeSockets = socketRoutes(routes)
    return routes
  }

  /**
   * The socket targets of these routes as a list (the last routes' list is
   * shared): the loops every message runs walk an array, not Map iterators
   * and an entry array per route.
   */
  private socketsOf(routes: ReadonlyMap<TargetId, TargetRoute>): readonly SocketRoute[] {
    return routes === this.routes ? this.routeSockets : socketRoutes(routes)
  }

  /** The target ids of these routes (not to be modified: the last routes' ids are shared). */
  private targetIdsOf(routes: ReadonlyMap<TargetId, TargetRoute>): TargetId[] {
    return routes === this.routes ? this.routeIds : [...routes.keys()]
  }

  /** The chunks of a message too large for one envelope; undefined when it fits in one (nearly always). */
  private chunksOf(m: OutgoingMessage, routes: ReadonlyMap<TargetId, TargetRoute>): Array<{ payload: Uint8Array; chunk: PublishCopy['chunk'] }> | undefined {
    // The envelope's size depends on the receivers it names: the largest one this message can carry.
    // Sized from the field lengths (dataHeaderSize), not by building a probe envelope: this runs for every message.
    const sockets = this.socketsOf(routes).length
    const keyLength = m.key?.length ?? 0
    const receivers = Math.min(sockets, MAX_RECEIVERS_PER_COPY)
    const room = this.ctx.maxMessageSize - dataHeaderSize(keyLength, receivers, false)
    if (m.payload.length <= room) return undefined
    const chunkRoom = this.ctx.maxMessageSize - dataHeaderSize(keyLength, receivers, true)
    const parts = splitPayload(m.payload, chunkRoom, chunkRoom)
    this.ctx.stats.chunked++
    return parts.map((payload, index) => ({ payload, chunk: { index, count: parts.length, totalLength: m.payload.length } }))
  }

  /**
   * A chunked message's chunks go to one member of each group (group-pin.ts):
   * pinned in the group's route that every chunk shares. The routes are
   * copied first when there is a group to pin: the unpinned ones are reused
   * by later messages (routesTo).
   */
  private pinGroups(routes: ReadonlyMap<TargetId, TargetRoute>, m: OutgoingMessage): ReadonlyMap<TargetId, TargetRoute> {
    const instance = groupInstance({ key: m.key, keyInstance: m.keyInstance })
    let pinned: Map<TargetId, TargetRoute> | undefined
    for (const [target, route] of routes) {
      if (!('groupType' in route)) continue
      pinned ??= new Map(routes)
      const pin = pinGroup(this.ctx.presence, route.groupType, instance)
      if (pin.member === undefined) this.ctx.stats.groupChunksUnpinned++
      pinned.set(target, { groupType: route.groupType, pin })
    }
    return pinned ?? routes
  }

  /** The pinned member of a group route returned a copy as gone: the message moves to another member. */
  private memberGone(copy: PublishCopy, route: { groupType: number; pin?: GroupPin }, member: SocketAddress): void {
    if (route.pin === undefined) return
    const moved = memberGone(route.pin, member, this.ctx.presence, route.groupType, groupInstance(copy))
    if (moved && route.pin.member === undefined) this.ctx.stats.groupChunksUnpinned++
  }

  private newCopyShape(m: OutgoingMessage, routes: ReadonlyMap<TargetId, TargetRoute>, range: ServiceRange, payload: Uint8Array, chunk: PublishCopy['chunk'], prevs: number[]): PublishCopy {
    return {
      seq: this.seq,
      topicHash: this.ctx.topic.hash,
      stream: this.stream,
      timestamp: Date.now(),
      codecId: this.ctx.topic.codec.id,
      key: m.key,
      keyInstance: m.keyInstance,
      ackRequested: m.ack !== 'none',
      chunk,
      payload,
      range,
      routes,
      prevs,
    }
  }

  private newCopy(m: OutgoingMessage, routes: ReadonlyMap<TargetId, TargetRoute>, range: ServiceRange, payload: Uint8Array, chunk: PublishCopy['chunk']): PublishCopy {
    this.seq++
    if (m.ack === 'none') return this.newCopyShape(m, routes, range, payload, chunk, NO_PREVS)
    const sockets = this.socketsOf(routes)
    // Exactly one slot per socket target (push would reserve 16): a copy is held until its receipt.
    const copy = this.newCopyShape(m, routes, range, payload, chunk, new Array<number>(sockets.length))
    for (let i = 0; i < sockets.length; i++) {
      const id = sockets[i]!.id
      copy.prevs[i] = this.lastSent.get(id) ?? 0
      this.lastSent.set(id, copy.seq)
    }
    return copy
  }

  /** `now`: the clock's time when the message was handed over (its copies are sent now). */
  private sendFirst(copy: PublishCopy, m: OutgoingMessage, now: number): void {
    const sockets = this.socketsOf(copy.routes)
    if (m.ack !== 'none') {
      this.inflight.set(copy.seq, copy)
      this.tracker.track(copy.seq, { topic: this.ctx.topic.name, ack: m.ack, targets: this.targetIdsOf(copy.routes), timeoutMs: m.timeoutMs, bytes: copy.payload.length }, now)
    }
    // Queued behind a congested link, the first copy's deadline starts when it leaves.
    const departed = m.ack === 'none' ? undefined : this.departedOf
    let sentNow = true
    if (m.ack === 'none') {
      // Fire and forget names nobody.
      this.ctx.outbox.send(copy.range, encodeCopy(copy, [], 1), this.firstCopyFailedOf, undefined, copy)
    } else if (sockets.length > MAX_RECEIVERS_PER_COPY) {
      // Past the envelope's room, every subscriber gets its own unicast copy.
      for (let i = 0; i < sockets.length; i++) {
        const { id, socket } = sockets[i]!
        sentNow = this.ctx.outbox.send(socket, encodeCopy(copy, [receiverAt(copy, i, socket)], 1), this.unicastFailed(copy.seq, id), departed, copy) && sentNow
      }
    } else if (sockets.length > 0) {
      const receivers = new Array<Receiver>(sockets.length)
      for (let i = 0; i < sockets.length; i++) receivers[i] = receiverAt(copy, i, sockets[i]!.socket)
      sentNow = this.ctx.outbox.send(copy.range, encodeCopy(copy, receivers, 1), this.firstCopyFailedOf, departed, copy)
    }
    if (sockets.length < copy.routes.size) {
      for (const [target, route] of copy.routes) {
        if ('groupType' in route) sentNow = this.ctx.outbox.send(groupDestination(copy, route), encodeCopy(copy, [], 1), this.groupCopyFailed(copy, target, route), departed, copy) && sentNow
      }
    }
    if (!sentNow && m.ack !== 'none') this.tracker.queued(copy.seq)
    // Fire and forget: its receipt (which frees its room in the window) waits until its copies have left the outbox.
    if (m.ack === 'none') this.ctx.outbox.afterQueued(() => this.receipts.sentUnacked(copy.seq, now, this.ctx.clock.now()))
  }

  private resend(seq: number, target: TargetId, attempt: number): void {
    const copy = this.inflight.get(seq)
    const route = copy?.routes.get(target)
    if (copy === undefined || route === undefined) return
    this.ctx.stats.resent++
    if ('socket' in route) {
      this.ctx.outbox.send(route.socket, encodeCopy(copy, [{ node: route.socket.node, ref: route.socket.ref, prev: prevOf(copy, target) }], attempt), this.unicastFailed(seq, target))
      return
    }
    // A chunked message that found no member to pin (or lost its member) tries again: chunks resent by anycast could go anywhere.
    if (route.pin !== undefined) retryPin(route.pin, this.ctx.presence, route.groupType, groupInstance(copy))
    this.ctx.outbox.send(groupDestination(copy, route), encodeCopy(copy, [], attempt), this.groupCopyFailed(copy, target, route))
  }

  /** The multicast found nothing bound any more: every socket target of it has left. */
  private firstCopyFailed(copy: PublishCopy, err: unknown): void {
    if (!(err instanceof NoRouteError)) throw err
    for (const [target, route] of copy.routes) if ('socket' in route) this.tracker.returned(copy.seq, target, 'NO_NAME')
  }

  /** A unicast or anycast copy could not be sent: the socket's node is gone, or the group has no member left. */
  private unicastFailed(seq: number, target: TargetId): (err: unknown) => void {
    return err => {
      if (!(err instanceof NoRouteError)) throw err
      this.tracker.returned(seq, target, target.startsWith('g:') ? 'NO_NAME' : 'NO_NODE')
    }
  }

  /**
   * A copy for a group could not be sent: no member is bound any more
   * (anycast), or the pinned member's node is out of reach (unicast), which
   * moves the message to another member. Either way a group return.
   */
  private groupCopyFailed(copy: PublishCopy, target: TargetId, route: { groupType: number; pin?: GroupPin }): (err: unknown) => void {
    const member = route.pin?.member
    return err => {
      if (!(err instanceof NoRouteError)) throw err
      if (member !== undefined) this.memberGone(copy, route, member)
      this.tracker.returned(copy.seq, target, 'NO_NAME')
    }
  }

  private sendGap(seq: number, target: TargetId, reason: GapReason): void {
    const copy = this.inflight.get(seq)
    const route = copy?.routes.get(target)
    if (copy === undefined || route === undefined || !('socket' in route)) return
    this.onGap?.(route.socket, seq, prevOf(copy, target), reason)
  }

  /** Set by the bus: sends a control gap notice to one subscriber socket. */
  onGap?: (to: SocketAddress, seq: number, prev: number, reason: GapReason) => void

  private settled(seq: number, r: Receipt): void {
    this.inflight.delete(seq)
    this.receipts.settled(seq, r)
  }
}

function randomStream(random: () => number): bigint {
  const hi = BigInt(Math.floor(random() * 0x1_0000_0000) >>> 0)
  const lo = BigInt(Math.floor(random() * 0x1_0000_0000) >>> 0)
  return (hi << 32n) | lo
}

export type { Outcome, PublishObserver }
