// A listening SEQPACKET socket of the memory network (the shared
// BaseSeqpacketListener keeps the backlog): connects are the clients' own
// connection ends, accepted and refused through the network's clock.
import { BaseSeqpacketListener } from '../shared/seqpacket-listener.js'
import type { MemorySeqpacketConnection } from './seqpacket-connection.js'

export class MemorySeqpacketListener extends BaseSeqpacketListener<MemorySeqpacketConnection> {
  /** its node crashed: the network refuses the clients in the backlog (takeBacklog). */
  terminate(_err: Error): void {
    this.abandon()
  }
}
