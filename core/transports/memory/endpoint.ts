// What the network knows of every socket it hosts (RDM sockets, listeners,
// connections): an address on a node, and a receive queue it can hand over.
import type { SocketAddress } from '../../transport-contract/address.js'

export type EndpointKind = 'rdm' | 'listener' | 'connection'

export interface Endpoint {
  readonly address: SocketAddress
  readonly kind: EndpointKind
  /** True when queued messages can be handed to a handler now. */
  ready(): boolean
  /** Hand at most `batchSize` queued messages to the handler. */
  flush(batchSize: number): void
  /** Close as the application would (its transport is closing). */
  close(): void
  /** Its node crashed: stop at once, tell nobody on this node (they crashed too). */
  terminate(err: Error): void
}

/** Link and endpoint keys for maps. */
export const addressKey = (a: SocketAddress): string => `${a.node}:${a.ref}`
export const linkKey = (from: number, to: number): string => `${from}>${to}`
