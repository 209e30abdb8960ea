// Helpers for the memory transport's own tests: numbered messages and a
// receiver that records them.
import type { RdmSocket } from '../../core/transport-contract/rdm-socket.js'
import type { ReceivedMessage } from '../../core/transport-contract/message.js'

export function numbered(i: number, size = 8): Uint8Array {
  const m = new Uint8Array(size)
  new DataView(m.buffer).setUint32(0, i)
  return m
}

export const numberOf = (m: ReceivedMessage): number =>
  new DataView((m.returned?.data ?? m.data).buffer, (m.returned?.data ?? m.data).byteOffset).getUint32(0)

export function record(socket: RdmSocket): ReceivedMessage[] {
  const got: ReceivedMessage[] = []
  socket.onMessages(batch => { for (const m of batch) got.push(m) })
  return got
}
