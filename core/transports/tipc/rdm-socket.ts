// RDM on the kernel: the binding's DatagramSocket behind the contract. The
// kernel does the semantics (anycast, multicast, returns, overload); this
// file validates with the contract's rules, so errors are the same typed
// ones as on udp and memory, and hands batches through untouched.
import { DatagramSocket } from '../../../bindings/index.js'
import {
  checkScope, toRange,
  type BatchHandler, type Destination, type MessageBatch, type RdmSocket, type Scope, type ServiceAddress,
  type ServiceRange, type SocketAddress,
} from '../../transport-contract/index.js'
import { fromBinding, mapped } from './errors.js'

export class TipcRdmSocket implements RdmSocket {
  readonly address: SocketAddress
  private readonly socket: DatagramSocket
  private readonly onClose: (s: TipcRdmSocket) => void

  constructor(netns: string | undefined, onClose: (s: TipcRdmSocket) => void) {
    this.socket = mapped(() => DatagramSocket.open(netns === undefined ? {} : { netns }))
    // Multicast by replicast, set explicitly: left to the kernel's own
    // choice, a socket that multicasts to one destination node switches to
    // replicast with a SYN-marked first message, and if that message is
    // rejected every copy later returned by that socket is lost on the
    // sender's node (test/kernel/cluster-mcast-returns-method.test.ts).
    // Both explicit methods return copies alike; replicast is one copy per
    // destination node over the same unicast links as this socket's
    // unicast and anycast (as udp and memory carry multicast), so no
    // broadcast link holds every node to the slowest one.
    mapped(() => this.socket.setMulticastMode('replicast'))
    this.address = this.socket.address()
    this.onClose = onClose
  }

  get closed(): boolean {
    return this.socket.closed
  }

  bind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    const range = toRange(name)
    mapped(() => this.socket.bind(range, checkScope(scope)))
  }

  unbind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    const range = toRange(name)
    mapped(() => this.socket.unbind(range, checkScope(scope)))
  }

  // The binding validates addresses and sizes before any syscall, with the
  // same rules and the same error classes as the contract, and names the
  // destination in its errors; validating here too would only do the work
  // twice per message.
  send(dest: Destination, data: Uint8Array): boolean {
    try {
      return this.socket.sendto(dest, data)
    } catch (err) {
      throw fromBinding(err)
    }
  }

  sendBatch(dest: Destination, messages: readonly Uint8Array[]): number {
    try {
      return this.socket.sendBatch(dest, messages as Uint8Array[])
    } catch (err) {
      throw fromBinding(err)
    }
  }

  writable(): Promise<void> {
    return this.socket.writable().catch(err => { throw fromBinding(err) })
  }

  onMessages(handler: BatchHandler, onError?: (err: Error) => void): void {
    // The binding's batch already has the contract's shape (length, at(i),
    // iteration; views that stay valid). Its return codes are TIPC's five;
    // the kernel defines no others, so the wider type never shows here.
    this.socket.onMessages(
      batch => handler(batch as unknown as MessageBatch),
      err => {
        const mappedErr = fromBinding(err)
        if (onError) onError(mappedErr)
        else throw mappedErr
      },
    )
  }

  pause(): void {
    mapped(() => this.socket.pause())
  }

  resume(): void {
    mapped(() => this.socket.resume())
  }

  /** Let the process exit while this socket is reading. */
  unref(): void {
    this.socket.unref()
  }

  close(): void {
    if (this.socket.closed) return
    this.socket.close()
    this.onClose(this)
  }
}
