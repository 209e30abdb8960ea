// One directory query, from the asking side: which buses should answer (the
// directory sockets the topology service reports bound), which parts of whose
// answer have come, and when the query is over: once every bus that topology
// reports has answered in full (after a short settle, so that the topology
// service has had time to report the bindings that already exist), or at the
// timeout, with the buses that did not answer named. The query is asked once
// more, by unicast, at half time of those that have not answered in full (a
// lost query or a lost part does not make a bus look silent), and at once of
// a directory socket topology reports only after the settle.
import { U32_MAX, type Clock, type SocketAddress, type Timer, type TopologyApi, type TopologySubscription } from '../transport-contract/index.js'
import { mergeClusterTopics } from './cluster-topics.js'
import { DIRECTORY_SERVICE_TYPE, type BusDirectory, type ClusterSnapshot, type DirectoryBus, type DirectoryTopic } from './directory-types.js'
import type { DirectoryAnswerPart } from './directory-wire.js'

/** How long a query waits, at least, for the topology service to report what is bound (its events arrive asynchronously). */
const SETTLE_MS = 50

interface Answer {
  bus: DirectoryBus | undefined
  parts: Array<DirectoryTopic[] | undefined>
  expected: number | undefined
  received: number
}

export interface QueryHooks {
  /** Send the query to every directory socket (multicast). */
  ask(): void
  /** Send the query again to one directory socket. */
  askAgain(socket: SocketAddress): void
  /** The query is over. */
  done(snapshot: ClusterSnapshot): void
}

const keyOf = (s: SocketAddress): string => `${s.node}:${s.ref}`

export class DirectoryQueryRun {
  private readonly at = Date.now()
  /** Directory sockets bound now, as topology reports them. */
  private readonly bound = new Map<string, SocketAddress>()
  private readonly answers = new Map<string, Answer>()
  private readonly timers: Timer[] = []
  private topology: TopologySubscription | undefined
  private settled = false
  private finished = false

  constructor(private readonly clock: Clock, private readonly timeoutMs: number, private readonly hooks: QueryHooks) {}

  start(topology: TopologyApi): void {
    this.topology = topology.subscribe({ type: DIRECTORY_SERVICE_TYPE, lower: 0, upper: U32_MAX }, e => {
      if (e.kind === 'published') {
        this.bound.set(keyOf(e.socket), e.socket)
        // Reported after the settle: a bus that this node learned of after the
        // multicast went out (a name table still filling), so asked directly.
        if (this.settled && !this.complete(keyOf(e.socket))) this.hooks.askAgain(e.socket)
      } else {
        this.bound.delete(keyOf(e.socket))
      }
      this.check()
    })
    const settle = Math.min(SETTLE_MS, this.timeoutMs)
    const half = Math.max(settle, Math.floor(this.timeoutMs / 2))
    this.timers.push(
      this.clock.setTimer(settle, () => {
        this.settled = true
        this.check()
      }),
      this.clock.setTimer(half, () => {
        for (const [key, socket] of this.bound) if (!this.complete(key)) this.hooks.askAgain(socket)
      }),
      this.clock.setTimer(this.timeoutMs, () => this.finish()),
    )
    this.hooks.ask()
  }

  /** A part of an answer, from directory socket `from`. */
  answer(from: SocketAddress, m: DirectoryAnswerPart): void {
    if (this.finished) return
    const key = keyOf(from)
    let a = this.answers.get(key)
    if (a === undefined) {
      a = { bus: undefined, parts: [], expected: m.parts, received: 0 }
      this.answers.set(key, a)
    }
    // A bus answering a second time (asked again) answers with the same count
    // unless its topics changed in between: the newer answer replaces the older.
    if (a.expected !== m.parts) {
      a.parts = []
      a.received = 0
      a.expected = m.parts
    }
    if (a.parts[m.part] === undefined) {
      a.parts[m.part] = m.topics
      a.received++
    }
    a.bus = { ...m.bus, socket: from, node: from.node }
    this.check()
  }

  /** End now (the bus closed): whatever has come, the rest silent. */
  cancel(): void {
    this.finish()
  }

  private complete(key: string): boolean {
    const a = this.answers.get(key)
    return a !== undefined && a.received === a.expected
  }

  private check(): void {
    if (!this.settled || this.finished) return
    for (const key of this.bound.keys()) if (!this.complete(key)) return
    this.finish()
  }

  private finish(): void {
    if (this.finished) return
    this.finished = true
    this.topology?.cancel()
    for (const t of this.timers) t.cancel()
    const buses: BusDirectory[] = []
    const silent: ClusterSnapshot['silent'] = []
    for (const [key, a] of this.answers) {
      if (this.complete(key) && a.bus !== undefined) buses.push({ bus: a.bus, topics: a.parts.flatMap(p => p ?? []) })
    }
    for (const [key, socket] of this.bound) {
      if (this.complete(key)) continue
      const a = this.answers.get(key)
      silent.push({ socket, partsReceived: a?.received ?? 0, partsExpected: a?.expected })
    }
    buses.sort((x, y) => x.bus.node - y.bus.node || x.bus.socket.ref - y.bus.socket.ref)
    silent.sort((x, y) => x.socket.node - y.socket.node || x.socket.ref - y.socket.ref)
    this.hooks.done({ at: this.at, buses, topics: mergeClusterTopics(buses), silent })
  }
}
