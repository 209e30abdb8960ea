// tipc-rx/bindings: a faithful, fast TIPC socket API for Node.js. It knows
// nothing of topics, acks or RxJS (see docs/bindings.md).
export {
  RESERVED_TYPES, formatNode, encodeDestination,
  type Destination, type EncodedAddress, type Scope, type ServiceAddress, type ServiceRange, type SocketAddress,
} from './address.js'
export { isTipcAvailable, ownNode, type TipcAvailability } from './addon.js'
export {
  ConnectionSocket, TipcServer,
  type ConnectOptions, type ConnectionKind, type EndHandler, type ListenOptions,
} from './connection.js'
export { BorrowedBatch } from './borrowed-batch.js'
export {
  DatagramSocket, MAX_MESSAGE_SIZE,
  type BatchHandler, type BorrowOptions, type GroupOptions, type OpenOptions,
} from './datagram-socket.js'
export {
  BatchReleasedError, ConnectionResetError, InvalidArgumentError, MessageTooLargeError, NoRouteError, PeerLostError,
  ReservedTypeError, SocketClosedError, TipcRxError, TipcSystemError, TipcUnavailableError,
  type ErrorDetails, type PeerLossReason,
} from './errors.js'
export { formatDestination } from '../errors/destination.js'
export { MessageBatch, type ReturnCode, type ReturnedInfo, type TipcMessage } from './message.js'
export type { AddressKind } from './native.js'
export type { Importance, NamespaceOption, SocketKind } from './socket-base.js'
export {
  TopologyClient, watchLinks, watchNodes,
  type LinkEvent, type NodeEvent, type SubscribeOptions, type Subscription, type TopologyEvent,
} from './topology.js'
