// What the network did, counted: fault tests assert that the fault really
// happened (drops counted) next to what the application saw.
import type { ReturnCode } from '../../transport-contract/message.js'

export interface MemoryNetworkStats {
  /** RDM packets put on a link by send(): a multicast counts once per node it goes to (it is fanned out there). */
  sent: number
  /** RDM messages put into a receiving socket's queue. */
  delivered: number
  /** Lost to the drop fault. */
  dropped: number
  /** Extra copies made by the duplicate fault. */
  duplicated: number
  /** Held back by the reorder fault. */
  reordered: number
  /** Link stalls made by the delay fault. */
  delayed: number
  /** Rejected with OVERLOAD (forced by the fault, or a full receive queue). */
  overloaded: number
  /** Times send() returned false because a link was congested. */
  congested: number
  /** Messages lost because their sending node crashed while they were on their way. */
  lostInCrash: number
  /** Multicast copies that found no socket bound on their node when they arrived (TIPC drops these). */
  multicastMissed: number
  /**
   * Multicast copies refused on another node that came back to their
   * sender's node and found no socket there with a cluster-scope binding
   * to their name (TIPC drops these).
   */
  returnedMissed: number
  /** Returned messages, by code. */
  returned: Record<ReturnCode, number>
  /** Nodes crashed with crash(). */
  crashes: number
}

export function createStats(): MemoryNetworkStats {
  return {
    sent: 0, delivered: 0, dropped: 0, duplicated: 0, reordered: 0, delayed: 0, overloaded: 0,
    congested: 0, lostInCrash: 0, multicastMissed: 0, returnedMissed: 0, crashes: 0,
    returned: { NO_NAME: 0, NO_PORT: 0, NO_NODE: 0, OVERLOAD: 0, CONN_SHUTDOWN: 0 },
  }
}
