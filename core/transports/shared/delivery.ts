// Where an RDM message meets the sockets of the node it reached, by TIPC's
// rules, for both transports (the carrier brings it here: a udp link's
// record, a memory packet on the virtual clock):
//
//   multicast  one copy to every socket of this node with an overlapping
//              binding visible to the sender; none: counted, dropped
//   anycast    to the socket the sender chose; if it is gone, the name is
//              looked up again (another binding, or NO_NAME)
//   unicast    to the socket; gone or not an RDM socket: NO_PORT
//   any        a receive queue over its limits refuses: OVERLOAD
//   later      left unread when its socket closes: NO_PORT
//
// Returns go through returned.ts. A returned message that comes home is
// handed over here too: to the socket that sent it (home), or, for a
// multicast copy refused on another node, by name (homeByName).
import type { ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import type { ReceivedMessage } from '../../transport-contract/message.js'
import type { Endpoint, Endpoints } from './endpoints.js'
import { visibleFrom, type NameBinding, type NameTable } from './name-table.js'
import { MODE_ANYCAST, MODE_MULTICAST, MODE_UNICAST, type RdmData } from './rdm-data.js'
import { BaseRdmSocket } from './rdm-socket.js'
import { returnedMessage, type Returns } from './returned.js'

export interface DeliveryStats {
  /** Messages put into a socket's receive queue. */
  delivered: number
  /** Multicast copies that found no socket on arrival (dropped, as TIPC does). */
  multicastMissed: number
  /**
   * Multicast copies refused on another node that came back to this one
   * and found no socket here with a cluster-scope binding to their name
   * (dropped, as TIPC does).
   */
  returnedMissed: number
}

export interface DeliveryOptions<M extends RdmData> {
  batchSize: number
  /**
   * A full batch goes to its handler at once, within the carrier's call
   * (udp: before the packet's handler returns), instead of at the flush.
   */
  eagerBatches: boolean
  /** An injected fault: the socket refuses as if its queue were full (memory's `overload`). */
  refuse?: () => boolean
  /**
   * Carry a rerouted anycast to a socket on another node (memory, which
   * sees every node). Without it a reroute looks among this node's sockets
   * only (udp: a record passed on would reach the third node from this one,
   * and the data record has no field for the node that sent it first).
   */
  forward?: (from: number, msg: M, to: SocketAddress) => void
}

export class Delivery<M extends RdmData> {
  private readonly node: number
  private readonly names: NameTable
  private readonly endpoints: Endpoints<Endpoint>
  private readonly returns: Returns<M>
  private readonly stats: DeliveryStats
  private readonly options: DeliveryOptions<M>

  /** `names`: the name table as this node sees it. */
  constructor(node: number, names: NameTable, endpoints: Endpoints<Endpoint>, returns: Returns<M>, stats: DeliveryStats, options: DeliveryOptions<M>) {
    this.node = node
    this.names = names
    this.endpoints = endpoints
    this.returns = returns
    this.stats = stats
    this.options = options
  }

  /** `msg`, sent from node `from`, reached this node. */
  arrive(from: number, msg: M): void {
    if (msg.mode === MODE_MULTICAST) return this.fanOut(from, msg)
    let target: Endpoint | undefined = this.endpoints.get(msg.dstRef)
    if (target === undefined && msg.mode === MODE_ANYCAST) {
      // The socket is gone: TIPC looks the name up again.
      const b = this.names.anycast(msg.type, msg.lower, true, b => visibleFrom(from, b) && this.reaches(b))
      if (b === undefined) return this.returns.give(from, msg, 'NO_NAME', msg.dstRef, this.node)
      if (b.socket.node !== this.node) return this.options.forward!(from, msg, b.socket)
      target = this.endpoints.get(b.socket.ref)
    }
    const socket = openRdm<M>(target)
    if (socket === undefined) return this.returns.give(from, msg, 'NO_PORT', msg.dstRef, this.node)
    this.offer(socket, from, msg, msg.data)
  }

  /** `msg`, from node `from`, was left unread by socket `ref` of this node, which closed. */
  unread(from: number, msg: M, ref: number): void {
    this.returns.give(from, msg, 'NO_PORT', ref, this.node)
  }

  /** A returned message of ours came home, for socket `ref` of this node (dropped if it is gone). */
  home(ref: number, message: ReceivedMessage, from: number): void {
    const s = openRdm<M>(this.endpoints.get(ref))
    if (s === undefined) return
    s.enqueue(message, from)
    this.handOver(s)
  }

  /**
   * A multicast copy refused on node `from` came back to this node, the
   * sender's, where it is delivered by name, as the kernel does (it keeps
   * no sender in a multicast copy): to every socket of this node with a
   * cluster-scope binding overlapping `dest`, the name it was sent to, one
   * copy per socket, looked up now. The sender gets one only if it is so
   * bound; node-scope bindings get none (a copy from another node never
   * sees them). Nobody: counted, dropped.
   */
  homeByName(message: ReceivedMessage, dest: ServiceRange, from: number): void {
    const seen = new Set<number>()
    // Sockets that took a copy: a binding of a closed socket or a listener takes none.
    let given = 0
    for (const b of this.names.overlapping(dest)) {
      if (b.socket.node !== this.node || b.scope !== 'cluster' || seen.has(b.socket.ref)) continue
      seen.add(b.socket.ref)
      const s = openRdm<M>(this.endpoints.get(b.socket.ref))
      if (s === undefined) continue
      // The first socket takes the message itself, each other one a copy of it (and of its data).
      s.enqueue(given++ > 0 ? copyOf(message) : message, from)
      this.handOver(s)
    }
    if (given === 0) this.stats.returnedMissed++
  }

  private fanOut(from: number, msg: M): void {
    const seen = new Set<number>()
    // Sockets offered a copy: a binding of a closed socket or a listener is offered none.
    let offered = 0
    for (const b of this.names.overlapping(msg)) {
      if (b.socket.node !== this.node || !visibleFrom(from, b) || seen.has(b.socket.ref)) continue
      seen.add(b.socket.ref)
      const s = openRdm<M>(this.endpoints.get(b.socket.ref))
      if (s === undefined) continue
      // The first socket takes the message's own bytes, each other one a copy.
      this.offer(s, from, msg, offered++ > 0 ? msg.data.slice() : msg.data)
    }
    if (offered === 0) this.stats.multicastMissed++
  }

  private offer(s: BaseRdmSocket<M>, from: number, msg: M, data: Uint8Array): void {
    const refuse = this.options.refuse
    if ((refuse !== undefined && refuse()) || !s.accepts(data.byteLength)) return this.returns.give(from, msg, 'OVERLOAD', s.address.ref, this.node)
    this.stats.delivered++
    const m: ReceivedMessage = { data, from: { node: from, ref: msg.srcRef } }
    if (msg.mode !== MODE_UNICAST) m.dest = { type: msg.type, lower: msg.lower, upper: msg.upper }
    s.enqueue(m, from, msg)
    this.handOver(s)
  }

  private handOver(s: BaseRdmSocket<M>): void {
    if (this.options.eagerBatches && s.queueDepth >= this.options.batchSize && s.ready()) this.endpoints.flushNow(s)
    else this.endpoints.wake(s)
  }

  /** A binding a rerouted anycast can go to: an RDM socket here, or any socket elsewhere when the carrier forwards. */
  private reaches(b: NameBinding): boolean {
    if (b.socket.node !== this.node) return this.options.forward !== undefined
    return this.endpoints.get(b.socket.ref) instanceof BaseRdmSocket
  }
}

/** One more socket's own returned message: the same fields (returnedMessage), its returned data copied, so no two sockets share bytes. */
function copyOf(m: ReceivedMessage): ReceivedMessage {
  return m.returned === undefined ? { ...m } : returnedMessage(m.from, m.returned.code, m.returned.data.slice(), m.dest)
}

/**
 * The endpoint as an open RDM socket of this layer's messages, if it is one.
 * Every RDM socket on a node carries that node's message type M, so the
 * narrowing is exact; instanceof alone cannot say so.
 */
function openRdm<M extends RdmData>(e: Endpoint | undefined): BaseRdmSocket<M> | undefined {
  return e instanceof BaseRdmSocket && !e.closed ? (e as BaseRdmSocket<M>) : undefined
}
