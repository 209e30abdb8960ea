// A node's transport with a hand on every RDM send of the sockets made from
// it: tests see what the topic layer sends (which envelopes, to whom) and can
// act around one send (switch a fault on for exactly that message). The
// transport is otherwise the node's own.
import type { Destination, RdmSocket, Transport } from '../../core/transport-contract/index.js'

/** Called for every send; it does the send by calling `send()` (or not, to drop the message unseen). */
export type SendHook = (dest: Destination, data: Uint8Array, send: () => boolean) => boolean

export function tapSends(transport: Transport, hook: SendHook): Transport {
  return new Proxy(transport, {
    get(target, prop) {
      if (prop === 'rdm') return () => tapSocket(target.rdm(), hook)
      return bound(target, prop)
    },
  })
}

function tapSocket(socket: RdmSocket, hook: SendHook): RdmSocket {
  return new Proxy(socket, {
    get(target, prop) {
      if (prop === 'send') return (dest: Destination, data: Uint8Array) => hook(dest, data, () => target.send(dest, data))
      return bound(target, prop)
    },
  })
}

function bound(target: object, prop: string | symbol): unknown {
  const v = Reflect.get(target, prop, target) as unknown
  return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v
}
