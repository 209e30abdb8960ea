// The Transport contract: TIPC semantics in TypeScript, with no RxJS (the
// plumbing layer; core/ builds observables on top). It names no
// implementation: transports register themselves by kind
// (core/transports/registry.ts); the conformance suite in test/conformance is
// its executable definition.
import type { Capabilities } from './capabilities.js'
import type { Clock } from './clock.js'
import type { RdmSocket } from './rdm-socket.js'
import type { SeqpacketApi } from './seqpacket.js'
import type { TopologyApi } from './topology.js'

/** The name a transport registers itself under, and is chosen by (open's `transport` option, TIPC_RX_TRANSPORT). */
export type TransportKind = string

export interface Transport extends SeqpacketApi, TopologyApi {
  readonly kind: TransportKind
  /** This node's 32-bit id (the first half of every socket address opened here). */
  readonly node: number
  readonly capabilities: Capabilities
  /** True once close() was called (or, on memory, the node crashed). */
  readonly closed: boolean
  /**
   * Time as this transport sees it, when it is not the wall clock: the
   * memory transport's virtual clock, which makes a seeded run of the layers
   * above replay exactly. Absent: the wall clock.
   */
  readonly clock?: Clock

  /** A new RDM socket. */
  rdm(): RdmSocket

  /**
   * Close every socket, listener, connection and subscription opened here.
   * Whether the node itself goes down for the others depends on the
   * transport (udp and memory: yes; tipc: the node is the kernel, it stays).
   */
  close(): Promise<void>
}
