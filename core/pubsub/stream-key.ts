// One publisher stream as a map key: the publisher's socket and the stream
// id. The stream table, the reassembler and its failure reports use the same
// key, so a report can name the stream it concerns.
import type { SocketAddress } from '../transport-contract/index.js'

export function streamKey(publisher: SocketAddress, stream: bigint): string {
  return `${publisher.node}:${publisher.ref}:${stream}`
}

/** The publisher and stream of a key made by streamKey. */
export function parseStreamKey(key: string): { publisher: SocketAddress; stream: bigint } {
  const [node, ref, stream] = key.split(':')
  return { publisher: { node: Number(node), ref: Number(ref) }, stream: BigInt(stream!) }
}
