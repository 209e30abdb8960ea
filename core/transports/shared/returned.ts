// Returned messages: which undelivered RDM messages go back, to whom, and
// what the receiving socket sees (TIPC_RETDATA with TIPC_ERRINFO): no
// payload, the return code, the first RETURNED_DATA_LIMIT bytes of what was
// sent, and as length that of the returned (cut) data, which is what the
// kernel reports, not the length as sent. How a return travels home is the
// carrier's: a record on a udp link, a tick of the memory network's clock.
//
// Where a return goes is the kernel's rule (kernel 6.1, measured: see
// test/kernel/cluster-mcast-returns-*.test.ts):
//
//   unicast, anycast      back to the sending socket
//   multicast, refused    back to the sending socket (OVERLOAD, NO_PORT)
//     on the sender's node
//   multicast, refused    back to the sender's node, delivered there by name
//     on another node     (delivery.ts: homeByName): the kernel keeps no
//                         sender in a multicast copy, only the name
//   multicast, otherwise  dropped (no socket on arrival, lost with its node)
import type { ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import { RETURNED_DATA_LIMIT } from '../../transport-contract/limits.js'
import type { ReceivedMessage, ReturnCode } from '../../transport-contract/message.js'
import { MODE_MULTICAST, MODE_UNICAST, type RdmData } from './rdm-data.js'

/** The part of a message that goes back to its sender: a copy of at most RETURNED_DATA_LIMIT bytes. */
export function returnedData(data: Uint8Array): Uint8Array {
  return data.slice(0, RETURNED_DATA_LIMIT)
}

/** The name a message was sent to, as its receiver (or its returned copy) reports it; none for unicast. */
export function nameOf(msg: RdmData): ServiceRange | undefined {
  return msg.mode === MODE_UNICAST ? undefined : { type: msg.type, lower: msg.lower, upper: msg.upper }
}

/** What the sender receives; `data` is already cut (returnedData), `from` the socket it was meant for. */
export function returnedMessage(from: SocketAddress, code: ReturnCode, data: Uint8Array, dest?: ServiceRange): ReceivedMessage {
  const m: ReceivedMessage = {
    data: new Uint8Array(0),
    from: { ...from },
    returned: { code, data, length: data.byteLength },
  }
  if (dest) m.dest = { ...dest }
  return m
}

/** How a carrier takes a return home. */
export interface ReturnCarrier<M extends RdmData> {
  /**
   * Take the return of `msg` to node `to`, its sender's: `code`, the cut
   * `data`, returned by socket `byRef` of the node that gives it back.
   * `byName`: on arrival it goes to the sockets bound to the name it was
   * sent to (Delivery.homeByName), not to the socket that sent it.
   */
  carryBack(to: number, msg: M, code: ReturnCode, byRef: number, data: Uint8Array, byName: boolean): void
}

export interface ReturnStats {
  /** Returned messages given back, by code. */
  returned: Record<ReturnCode, number>
}

export class Returns<M extends RdmData> {
  private readonly stats: ReturnStats
  private readonly carrier: ReturnCarrier<M>

  constructor(stats: ReturnStats, carrier: ReturnCarrier<M>) {
    this.stats = stats
    this.carrier = carrier
  }

  /**
   * `msg`, sent from node `from`, was not delivered on node `at`: give it
   * back with `code`, from socket `byRef` of `at`. A multicast copy goes
   * back only when a socket refused it (OVERLOAD, or NO_PORT: left unread
   * at close); copies that find no socket or are lost with their node are
   * dropped, as the kernel drops them.
   */
  give(from: number, msg: M, code: ReturnCode, byRef: number, at: number): void {
    const multicast = msg.mode === MODE_MULTICAST
    if (multicast && code !== 'OVERLOAD' && code !== 'NO_PORT') return
    this.stats.returned[code]++
    this.carrier.carryBack(from, msg, code, byRef, returnedData(msg.data), multicast && at !== from)
  }
}
