// A listening SEQPACKET socket, as both transports keep it. As in TIPC, a
// connect completes only when the listener accepts it: until onConnection()
// is set, connects wait in the backlog, and those still there at close()
// are refused. What a connect is (the memory network's client end, or a udp
// peer's address) and how it is accepted or refused are the transport's:
// the abstract hooks below.
import type { ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import type { SeqpacketConnection, SeqpacketListener } from '../../transport-contract/seqpacket.js'

export abstract class BaseSeqpacketListener<Client> implements SeqpacketListener {
  readonly kind = 'listener'
  readonly address: SocketAddress
  readonly name: ServiceRange
  private handler: ((connection: SeqpacketConnection) => void) | undefined
  private backlog: Client[] = []
  private closedFlag = false

  constructor(address: SocketAddress, name: ServiceRange) {
    this.address = address
    this.name = name
  }

  // --- what the transport supplies -------------------------------------------

  /** Withdraw the listener's binding. */
  protected abstract withdraw(): void
  /** Leave the node's endpoints. */
  protected abstract detach(): void
  /** Tell a waiting client its connect is refused. */
  protected abstract refuse(client: Client): void
  /** Make the server end for a client and answer it; undefined if the client is gone meanwhile. */
  protected abstract accept(client: Client): SeqpacketConnection | undefined
  /** Something may be ready to hand over: flush soon. */
  protected abstract wake(): void

  // --- the contract ------------------------------------------------------------

  get closed(): boolean {
    return this.closedFlag
  }

  onConnection(handler: (connection: SeqpacketConnection) => void): void {
    this.handler = handler
    this.wake()
  }

  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.withdraw()
    this.detach()
    for (const client of this.backlog.splice(0)) this.refuse(client)
  }

  // --- called by the transport ---------------------------------------------------

  /** @internal a connect request arrived */
  offer(client: Client): void {
    this.backlog.push(client)
    this.wake()
  }

  /** @internal */
  ready(): boolean {
    return this.handler !== undefined && this.backlog.length > 0 && !this.closedFlag
  }

  /** @internal accept what waits */
  flush(): void {
    while (this.ready()) {
      const server = this.accept(this.backlog.shift()!)
      if (server) this.handler!(server)
    }
  }

  /** @internal connects still waiting (the backlog is emptied) */
  takeBacklog(): Client[] {
    return this.backlog.splice(0)
  }

  /** Stop at once without a word (the node is gone); the backlog stays for the transport to refuse. */
  protected abandon(): void {
    this.closedFlag = true
  }
}
