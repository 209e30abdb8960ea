// A returned message as the sender's socket sees it (TIPC_RETDATA with
// TIPC_ERRINFO): no payload, the return code, the first RETURNED_DATA_LIMIT
// bytes of what was sent, and as length that of the returned (cut) data,
// which is what the kernel reports, not the length as sent.
import type { ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import { RETURNED_DATA_LIMIT } from '../../transport-contract/limits.js'
import type { ReceivedMessage, ReturnCode } from '../../transport-contract/message.js'

/** The part of a message that goes back to its sender: a copy of at most RETURNED_DATA_LIMIT bytes. */
export function returnedData(data: Uint8Array): Uint8Array {
  return data.slice(0, RETURNED_DATA_LIMIT)
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
