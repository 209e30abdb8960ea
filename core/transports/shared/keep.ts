// Messages whose bytes a carrier only lent: a udp node with borrowed
// receive (UdpTransportOptions.borrowedReceive) reads each batch into one
// region its socket reuses, and a message's data is a view into it. What
// is handed to a handler within the batch may stay a view (the application
// asked for that); what is still queued when the batch ends, or held by the
// transport itself (a packet ahead of a gap), must get bytes of its own
// first. `Keep` is how: a copy of borrowed bytes, anything else as it is.
import type { ReceivedMessage } from '../../transport-contract/message.js'

/** Bytes of their own: a copy when `bytes` is borrowed, else `bytes` itself. */
export type Keep = (bytes: Uint8Array) => Uint8Array

/** `m` with data of its own: its data and its returned data. */
export function keepMessage(m: ReceivedMessage, keep: Keep): void {
  m.data = keep(m.data)
  if (m.returned !== undefined) m.returned.data = keep(m.returned.data)
}
