// tipc-rx: the package's public surface, name by name. What is not listed
// here is internal, whatever its file exports; tests reach internals by
// importing their source files. api/tipc-rx.api.md is the reviewed record of
// this list (`npm run api:update` after a deliberate change).
//
// The topic layer first (what applications use), then the Transport
// contract, choosing and opening a transport, and the built-in transports.

// The built-in transports register themselves when their factory module
// loads; these imports are what makes 'tipc', 'udp' and 'memory' known to
// open() (in this order: the order kinds() and error messages list them).
import './transports/tipc/factory.js'
import './transports/udp/factory.js'
import './transports/memory/factory.js'

// The topic layer: a Bus, its topics, publish with per-subscriber outcomes
// and receipts, subscriptions as Observables / async iterables / callbacks.
export { openBus, type OpenBusOptions } from './open-bus.js'
export { Bus, type BusOptions } from './pubsub/bus.js'
export { Topic, type PublishEvent, type PublishOptions } from './pubsub/topic.js'
export type { TopicOptions } from './pubsub/topic-config.js'
export type { Codec } from '../codecs/index.js'
export { TopicSubscription } from './pubsub/subscription.js'
export type { BufferPolicy, SubscribeOptions } from './pubsub/subscribe-options.js'
export type { ReplayFrom, RetainOptions } from './pubsub/replay-options.js'
export type { ReplayGapReason } from './pubsub/replay-stream-merge.js'
export type { Delivery } from './pubsub/delivery.js'
export type { DeliveryFailure, Gap } from './pubsub/decode-stage.js'
export type { AckMode, Outcome, OutcomeKind, Receipt, TargetId } from './pubsub/outcome.js'
export type { TopicStats } from './pubsub/stats.js'
export type { FlowWindowStats } from './pubsub/flow-window.js'
export type { ReceiveBufferStats } from './pubsub/subscriber.js'
export type { ReceiveBufferCounts } from './pubsub/receive-buffer.js'
export type { PresenceEvent } from './pubsub/presence.js'
export type { SubscriberEvent } from './pubsub/subscriber-set.js'
export type { GroupEvent } from './pubsub/group-set.js'
export type { WhenSubscribedOptions } from './pubsub/subscribed-waiters.js'
export type { ResendOptions } from './pubsub/resend-policy.js'
export { publishTo, type PublishToOptions } from './pubsub/publish-to.js'
// The cluster directory (bus.cluster): what every bus of the cluster has, asked of the buses themselves.
export { ClusterDirectory, DEFAULT_DIRECTORY_TIMEOUT_MS, type DirectoryCounters } from './pubsub/cluster-directory.js'
export {
  DIRECTORY_SERVICE_TYPE, type BusDirectory, type ClusterSnapshot, type ClusterTopic, type DirectoryBus, type DirectoryPublisher,
  type DirectoryQueryOptions, type DirectorySubscriber, type DirectoryTopic,
} from './pubsub/directory-types.js'
export { checkTopic, groupType, keyInstance, replayType, topicHash64, topicType, MAX_KEY_BYTES, MAX_TOPIC_BYTES } from './pubsub/topic-name.js'
export {
  BusClosedError, InvalidKeyError, InvalidTopicError, NoSubscribersError, PresenceClosedError, PresenceTimeoutError,
  PublisherClosedError, ReceiveBufferOverflowError, ReplayProtocolError, SchemaFetchOverflowError, SchemaFetchTimeoutError, SubscriptionModeError,
} from './pubsub/errors.js'

// SEQPACKET streams: connections as Observables / async iterables, with
// sends that wait for the connection's flow-control window (docs/streams.md).
export { connectStream, type ConnectStreamOptions } from './streams/connect.js'
export { listenStream, type ListenStreamOptions } from './streams/listen.js'
export { MessageStream } from './streams/message-stream.js'
export { sendTo, type StreamWriter } from './streams/send-to.js'
export { checkStreamName, streamType, MAX_STREAM_NAME_BYTES, type ConnectTarget, type ListenName } from './streams/stream-name.js'
export type { DecodeFailurePolicy, StreamOptions } from './streams/stream-options.js'
export type { StreamDecodeFailure, StreamStats } from './streams/stream-sink.js'
export { StreamConsumedError, StreamDecodeError, StreamSendQueueFullError } from './streams/errors.js'

// Request/reply: anycast requests that fail at once when nothing serves
// them, scatter-gather, servers with a reply cache (docs/request-reply.md).
export { Server, type RequestContext, type RequestHandler } from './reqrep/server.js'
export { SENTINEL, type HandlerResult, type Sentinel } from './reqrep/handler-result.js'
export type { ManyReply } from './reqrep/many-request.js'
export type { RequestCommonOptions, RequestManyOptions, RequestManyStrategy, RequestOptions, RequestResendOptions, ServeOptions } from './reqrep/options.js'
export type { RequestReplyStats, RequesterStats, ServerStats } from './reqrep/stats.js'
export { serviceType, DEFAULT_SERVICE_GROUP } from './reqrep/service-name.js'
export {
  NoReplyError, NoRespondersError, RemoteHandlerError, RequestAbortedError, RequestClosedError,
  RequestReturnedError, RequestTimeoutError, type RequestReturnReason,
} from './reqrep/errors.js'

// Choosing and opening a transport.
export { open, probeTransport, selectTransport, TRANSPORT_ENV, type Selection, type SelectedTransport } from './transports/select.js'
export type { OpenOptions, PerTransportOptions, SelectionOptions, TransportChoice } from './transports/open-options.js'

// The registry: how a transport, built in or a third party's, becomes choosable.
export { registerTransport, transportRegistry, TransportRegistry } from './transports/registry.js'
export type { Availability, TransportFactory, TransportOptionsOf } from './transports/transport-factory.js'
export type { TransportOptionsByKind } from './transports/transport-options.js'

// The Transport contract.
export type {
  BatchHandler, BindingEvent, Capabilities, CapabilityFlag, Clock, ConnectOptions, Delivery as AddressingMode, Destination, EndHandler,
  ListenOptions, MessageBatch, NodeEvent, RdmSocket, ReceivedMessage, ReturnCode, ReturnedInfo, Scope,
  SeqpacketApi, SeqpacketConnection, SeqpacketListener, ServiceAddress, ServiceRange, SocketAddress,
  SubscribeOptions as TopologySubscribeOptions, Timer, TopologyApi, TopologySubscription, Transport, TransportKind,
} from './transport-contract/index.js'
export {
  DEFAULT_CONNECT_TIMEOUT_MS, formatDestination, MAX_MESSAGE_SIZE, RESERVED_TYPES, RETURNED_DATA_LIMIT,
} from './transport-contract/index.js'

// Errors: one class per failure, each with a stable `code`.
export {
  ConnectionEndedError, ConnectionRefusedError, ConnectTimeoutError, InvalidArgumentError, MessageTooLargeError,
  NoRouteError, NoTransportError, PeerLostError, ReservedTypeError, SocketClosedError, TipcRxError, TipcSystemError,
  TransportClosedError, TransportUnavailableError, UnknownTransportError,
  type ErrorDetails, type PeerLossReason,
} from './transport-contract/index.js'

// The tipc transport: its options (open() opens it).
export type { TipcTransportOptions } from './transports/tipc/index.js'

// The udp transport: its options and statistics; the class, for its stats()
// and for programs that open it directly.
export { UdpTransport } from './transports/udp/index.js'
export type { DropStats, LinkStats, NodeSocketInfo, NodeStats, RecordChunkStats, UdpDiscovery, UdpFaultPlan, UdpPeer, UdpStats, UdpTransportOptions } from './transports/udp/index.js'

// The memory transport, for tests (applications' tests too): a deterministic
// in-process network with seeded faults. MemoryTransport is exported as a
// type only: MemoryNetwork.open() makes its instances.
export { MemoryNetwork, sharedMemoryNetwork } from './transports/memory/index.js'
export type {
  FaultPlan, MemoryNetworkOptions, MemoryNetworkView, MemoryNetworkStats, MemoryOpenOptions, MemoryTransport, MemoryTransportOptions,
} from './transports/memory/index.js'
