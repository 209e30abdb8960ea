// An RDM socket of a udp node: the shared BaseRdmSocket with the node's
// socket layer as its host (bindings announced by the name distributor,
// sends through the shared router, a receive queue bounded by count and
// bytes). Closing the transport closes it as the application would.
import type { RdmData } from '../shared/rdm-data.js'
import { BaseRdmSocket } from '../shared/rdm-socket.js'

export class UdpRdmSocket extends BaseRdmSocket<RdmData> {
  /** the transport closed under us: close as the application would (close() rejects the waiters). */
  terminate(_err: Error): void {
    this.close()
  }
}
