// Why a subscriber's 'left' waits for a probe. On kernel TIPC a socket's
// withdrawal reaches other nodes by the broadcast link (name_distr.c hands
// it to tipc_node_broadcast when every node supports it), while the acks the
// socket sent before it closed travel the unicast link: the topology event
// can overtake them. A publisher that failed every message still waiting on
// that socket at the event would report 'left' for messages the subscriber
// did process and ack (seen in CI: a tail that printed 10,000 lines and
// exited, its last five acks behind its withdrawal).
//
// So, per departed socket, the publisher unicasts a probe to it first. The
// socket is gone, so the probe comes back (NO_PORT) on that node's unicast
// link to us, behind every ack the socket put on it before it closed: when
// it is back, those acks have been read, and what still waits has truly
// lost its subscriber. A probe that cannot be sent (the node is gone) passes
// at once; one that never comes back (lost with a node that crashed, or a
// socket that withdrew without closing and ignores probes) passes after
// DEPARTURE_PROBE_TIMEOUT_MS.
import type { Clock, SocketAddress, Timer } from '../transport-contract/index.js'
import type { TargetId } from './outcome.js'
import { socketKey } from './subscriber-set.js'

/** How long a probe may take to come back before its socket's targets are failed anyway. */
export const DEPARTURE_PROBE_TIMEOUT_MS = 1000

export interface DepartureHooks {
  /** Unicast a probe to `socket`; call `failed` if it cannot be sent. */
  probe(socket: SocketAddress, failed: () => void): void
  /** Every ack `target` sent before it left has been read (or given up on): fail what still waits on it, up to `mark`. */
  left(target: TargetId, mark: number): void
}

interface Departure {
  /** Each target that left with the socket, and the mark it left at. */
  targets: Array<{ target: TargetId; mark: number }>
  timer: Timer
}

export class DepartureBarrier {
  private readonly waiting = new Map<string, Departure>()

  constructor(private readonly clock: Clock, private readonly hooks: DepartureHooks, private readonly timeoutMs = DEPARTURE_PROBE_TIMEOUT_MS) {}

  /** Departures whose probe is still out. */
  get size(): number {
    return this.waiting.size
  }

  /**
   * `target` left with `socket` (a subscriber socket, or the last member of
   * a group): probe it, then fail what waits. `mark` (the publisher's last
   * seq) is handed back to left(): what was sent after the departure, to a
   * target that came back meanwhile, is not failed with it.
   */
  departed(target: TargetId, socket: SocketAddress, mark: number): void {
    const key = socketKey(socket)
    const known = this.waiting.get(key)
    if (known !== undefined) {
      // The same socket was also a group's last member: one probe answers for both.
      const same = known.targets.find(t => t.target === target)
      if (same !== undefined) same.mark = mark
      else known.targets.push({ target, mark })
      return
    }
    this.waiting.set(key, { targets: [{ target, mark }], timer: this.clock.setTimer(this.timeoutMs, () => this.pass(key)) })
    this.hooks.probe(socket, () => this.pass(key))
  }

  /** A probe came back from `socket`. False if none was out for it (a stray return). */
  returned(socket: SocketAddress): boolean {
    return this.pass(socketKey(socket))
  }

  /** Forget every departure without failing anything (the publisher is closing and fails it all itself). */
  close(): void {
    for (const d of this.waiting.values()) d.timer.cancel()
    this.waiting.clear()
  }

  private pass(key: string): boolean {
    const d = this.waiting.get(key)
    if (d === undefined) return false
    this.waiting.delete(key)
    d.timer.cancel()
    for (const { target, mark } of d.targets) this.hooks.left(target, mark)
    return true
  }
}
