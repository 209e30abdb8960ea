// An RDM socket of a udp node: the shared BaseRdmSocket with the node as its
// host (bindings announced by the name distributor, sends through the
// shared router, a receive queue bounded by count and bytes). Closing the
// transport closes it as the application would.
import type { RdmData } from '../shared/rdm-data.js'
import { BaseRdmSocket, type RdmSocketHost } from '../shared/rdm-socket.js'
import type { ResolvedUdpOptions } from './options.js'

export class UdpRdmSocket extends BaseRdmSocket<RdmData> {
  /** @internal made by UdpTransport.rdm() */
  constructor(node: RdmSocketHost<RdmData> & { readonly id: number; readonly options: ResolvedUdpOptions }, ref: number) {
    super(node, { node: node.id, ref }, { messages: node.options.receiveQueueLimit, bytes: node.options.receiveQueueBytes })
  }

  /** @internal the transport closed under us: close as the application would (close() rejects the waiters). */
  terminate(_err: Error): void {
    this.close()
  }
}
