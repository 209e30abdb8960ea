// A listening SEQPACKET socket, as both transports keep it. As in TIPC, a
// connect completes only when the listener accepts it: until onConnection()
// is set, connects wait in the backlog, and those still there at close()
// are refused. What a connect is (the memory network's client end, or a udp
// peer's address) and how it is accepted or refused are the transport's:
// its node is the listener's host.
import type { ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import type { SeqpacketConnection, SeqpacketListener } from '../../transport-contract/seqpacket.js'
import type { NameBinding } from './name-table.js'

/** What a listener needs of its node. */
export interface ListenerHost<L, Client> {
  /** Take the listener's binding out of the name table. */
  withdraw(binding: NameBinding): void
  /** The listener leaves the node's endpoints. */
  removeEndpoint(listener: L): void
  /** Something may be ready to hand over: flush soon. */
  wake(listener: L): void
  /** Tell a waiting client its connect is refused. */
  refuse(client: Client, listener: L): void
  /** Make the server end for a client and answer it; undefined if the client is gone meanwhile. */
  accept(client: Client, listener: L): SeqpacketConnection | undefined
}

export abstract class BaseSeqpacketListener<Client> implements SeqpacketListener {
  readonly kind = 'listener'
  readonly address: SocketAddress
  readonly name: ServiceRange
  /** its binding in the name table (made public by its node) */
  readonly binding: NameBinding
  private readonly host: ListenerHost<BaseSeqpacketListener<Client>, Client>
  private handler: ((connection: SeqpacketConnection) => void) | undefined
  private backlog: Client[] = []
  private closedFlag = false

  constructor(host: ListenerHost<BaseSeqpacketListener<Client>, Client>, binding: NameBinding) {
    this.host = host
    this.binding = binding
    this.address = binding.socket
    this.name = { ...binding.range }
  }

  /** its node is going away: stop as the transport's semantics say. */
  abstract terminate(err: Error): void

  // --- the contract ------------------------------------------------------------

  get closed(): boolean {
    return this.closedFlag
  }

  onConnection(handler: (connection: SeqpacketConnection) => void): void {
    this.handler = handler
    this.host.wake(this)
  }

  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.host.withdraw(this.binding)
    this.host.removeEndpoint(this)
    for (const client of this.backlog.splice(0)) this.host.refuse(client, this)
  }

  // --- called by the transport ---------------------------------------------------

  /** a connect request arrived */
  offer(client: Client): void {
    this.backlog.push(client)
    this.host.wake(this)
  }

    ready(): boolean {
    return this.handler !== undefined && this.backlog.length > 0 && !this.closedFlag
  }

  /** accept what waits */
  flush(): void {
    while (this.ready()) {
      const server = this.host.accept(this.backlog.shift()!, this)
      if (server) this.handler!(server)
    }
  }

  /** connects still waiting (the backlog is emptied) */
  takeBacklog(): Client[] {
    return this.backlog.splice(0)
  }

  /** Stop at once without a word (the node is gone); the backlog stays for the transport to refuse. */
  protected abandon(): void {
    this.closedFlag = true
  }
}
