// A transport as an application that uses borrowed receive correctly sees
// it: every handler copies each message it is handed (data and returned
// data) before anything else runs. The conformance tests keep messages
// past their handlers; behind this wrapper they can, so the whole suite
// checks the one thing that matters under borrowed receive with poisoning:
// that the transport itself never keeps a lent view past its batch.
import { ArrayMessageBatch, type BatchHandler, type MessageBatch, type ReceivedMessage } from '../../../core/transport-contract/message.js'
import type { SeqpacketConnection, SeqpacketListener } from '../../../core/transport-contract/seqpacket.js'
import type { Transport } from '../../../core/transport-contract/transport.js'

function copyMessage(m: ReceivedMessage): ReceivedMessage {
  const c: ReceivedMessage = { ...m, data: Uint8Array.from(m.data) }
  if (m.returned) c.returned = { ...m.returned, data: Uint8Array.from(m.returned.data) }
  return c
}

function copying(handler: BatchHandler): BatchHandler {
  return (batch: MessageBatch) => handler(new ArrayMessageBatch([...batch].map(copyMessage)))
}

/** `target` with its methods bound to it, and `overrides` in place of some. */
function proxy<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(o, prop) {
      if (typeof prop === 'string' && Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop]
      const v: unknown = Reflect.get(o, prop, o)
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(o) : v
    },
  })
}

function connection(c: SeqpacketConnection): SeqpacketConnection {
  return proxy(c, { onMessages: (h: BatchHandler, onEnd?: Parameters<SeqpacketConnection['onMessages']>[1]) => c.onMessages(copying(h), onEnd) })
}

function listener(l: SeqpacketListener): SeqpacketListener {
  return proxy(l, { onConnection: (h: (c: SeqpacketConnection) => void) => l.onConnection(c => h(connection(c))) })
}

/** `t`, its RDM sockets and connections handing their handlers copies. */
export function copyingHandlers<T extends Transport>(t: T): T {
  return proxy(t, {
    rdm: () => {
      const s = t.rdm()
      return proxy(s, { onMessages: (h: BatchHandler, onError?: (err: Error) => void) => s.onMessages(copying(h), onError) })
    },
    listen: (...a: Parameters<Transport['listen']>) => listener(t.listen(...a)),
    connect: async (...a: Parameters<Transport['connect']>) => connection(await t.connect(...a)),
  })
}
