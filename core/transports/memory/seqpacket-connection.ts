// One end of a SEQPACKET connection in the memory network (the shared
// BaseSeqpacketConnection keeps the state): everything reaches the peer
// through the network's virtual clock, a tick later, and the end is
// delivered after the data sent before it: clean after end(),
// PeerLostError after the peer's close() or its node's crash.
import type { SocketAddress } from '../../transport-contract/address.js'
import { SocketClosedError } from '../../transport-contract/errors.js'
import { BaseSeqpacketConnection } from '../shared/seqpacket-connection.js'
import type { Endpoint } from './endpoint.js'
import type { MemoryNetwork } from './network.js'

export class MemorySeqpacketConnection extends BaseSeqpacketConnection implements Endpoint {
  private readonly network: MemoryNetwork

  /** @internal made by the network for connect() and accept() */
  constructor(network: MemoryNetwork, address: SocketAddress, window: number) {
    super(address, window)
    this.network = network
  }

  /** @internal its node crashed: its peers hear of it from the network, not from here. */
  terminate(err: Error): void {
    this.finishHere(new SocketClosedError({ cause: err }), false)
  }

  protected sendData(peer: SocketAddress, data: Uint8Array): void {
    this.network.connectionSend(this, peer, { message: { data, from: { ...this.address } } })
  }

  protected sendEnd(peer: SocketAddress): void {
    this.network.connectionSend(this, peer, { end: undefined })
  }

  protected sendAbort(peer: SocketAddress): void {
    this.network.connectionAbort(peer, 'NO_PORT')
  }

  protected sendCredit(peer: SocketAddress, n: number): void {
    this.network.connectionCredit(peer, n)
  }

  protected wake(): void {
    this.network.wake(this)
  }

  protected detach(): void {
    this.network.removeEndpoint(this)
  }

  protected connectFailed(err: Error): void {
    this.network.failConnect(this, err)
  }
}
