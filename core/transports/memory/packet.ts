// An RDM message on its way through the memory network, and the returned
// message TIPC would build from it.
import type { ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import type { ReceivedMessage, ReturnCode } from '../../transport-contract/message.js'
import { returnedData, returnedMessage } from '../shared/returned.js'

export interface Packet {
  from: SocketAddress
  to: SocketAddress
  /** The name the sender addressed (absent for unicast). */
  dest?: ServiceRange
  /** Anycast messages are re-routed when their socket is gone on arrival; multicast copies are dropped. */
  mode: 'anycast' | 'multicast' | 'unicast'
  data: Uint8Array
  /** Incarnations of both nodes at send time: a node that crashed and came back is another node. */
  fromIncarnation: number
  toIncarnation: number
}

/** What the packet looks like to its receiver. */
export function received(p: Packet): ReceivedMessage {
  const m: ReceivedMessage = { data: p.data, from: { ...p.from } }
  if (p.dest) m.dest = { ...p.dest }
  return m
}

/** What the sender gets back (shared/returned.ts), from the socket it was meant for. */
export function returned(p: Packet, code: ReturnCode): ReceivedMessage {
  return returnedMessage(p.to, code, returnedData(p.data), p.dest)
}
