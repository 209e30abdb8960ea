// Returned messages: which undelivered RDM messages go back to their
// senders, and what the sender's socket sees (TIPC_RETDATA with
// TIPC_ERRINFO): no payload, the return code, the first RETURNED_DATA_LIMIT
// bytes of what was sent, and as length that of the returned (cut) data,
// which is what the kernel reports, not the length as sent. How a return
// travels home is the carrier's: a record on a udp link, a tick of the
// memory network's clock.
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
   */
  carryBack(to: number, msg: M, code: ReturnCode, byRef: number, data: Uint8Array): void
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
   * `msg`, sent from node `from`, was not delivered: give it back with
   * `code`, from socket `byRef`. A multicast copy goes back only when a
   * socket refuses it (OVERLOAD): copies that find no socket, are left
   * unread at close or are lost with their node are dropped: a publisher
   * cannot count on multicast returns (on the kernel, copies refused on
   * another node do not even come back to their sender).
   */
  give(from: number, msg: M, code: ReturnCode, byRef: number): void {
    if (msg.mode === MODE_MULTICAST && code !== 'OVERLOAD') return
    this.stats.returned[code]++
    this.carrier.carryBack(from, msg, code, byRef, returnedData(msg.data))
  }
}
