// How a program names a stream endpoint. A string is friendliest: it maps to
// the service address {streamType(name), 0}, so every listener of that name
// shares its connects by anycast. The raw TIPC forms are there too: a
// service address or range to listen on, a service address or a socket
// address to connect to.
//
// Why not the topic layer's FNV-1a (core/pubsub/topic-name.ts): streams stand
// on the transport contract alone (the layer rule streams-above-the-contract),
// and a stream must not share a service type with the topic of the same name
// anyway: a connect sent to a topic's RDM binding is no connection. So the
// type comes from another stable function the layer may use, CRC-64-AVRO
// (codecs/, pinned to the Avro spec's vectors), of the UTF-8 name; its low 32
// bits moved out of TIPC's reserved types. The mapping is documented in
// docs/streams.md and never changes.
import { crc64Avro } from '../../codecs/index.js'
import {
  checkDestination, InvalidArgumentError, RESERVED_TYPES, toRange,
  type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../transport-contract/index.js'

/** What listen() takes: a name, or the service address or range to bind. */
export type ListenName = string | ServiceAddress | ServiceRange
/** What connect() takes: a name, a service address (anycast to a listener) or a socket address. */
export type ConnectTarget = string | ServiceAddress | SocketAddress

/** The longest stream name, in UTF-8 bytes (as for topics). */
export const MAX_STREAM_NAME_BYTES = 255

const utf8 = new TextEncoder()
// C0 and C1 controls and DEL: invisible in logs and CLI output. Matching them is the point:
// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/u
// A high surrogate without its low one, or a low one without its high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** The service type a stream name maps to. Expects a checked name (checkStreamName). */
export function streamType(name: string): number {
  const low = Number(crc64Avro(utf8.encode(name)) & 0xffffffffn)
  return low < RESERVED_TYPES ? low + RESERVED_TYPES : low
}

/** The name itself if it is a valid stream name; InvalidArgumentError (saying why) otherwise. */
export function checkStreamName(name: string): string {
  const refuse = (why: string) => new InvalidArgumentError(`invalid stream name: ${why}`)
  if (name.length === 0) throw refuse('empty')
  const bytes = utf8.encode(name).length
  if (bytes > MAX_STREAM_NAME_BYTES) throw refuse(`${bytes} UTF-8 bytes, at most ${MAX_STREAM_NAME_BYTES}`)
  if (CONTROL_CHAR.test(name)) throw refuse('contains a control character')
  // TextEncoder turns a lone surrogate into U+FFFD: two names would share one type.
  if (LONE_SURROGATE.test(name)) throw refuse('contains a lone surrogate (not valid Unicode)')
  return name
}

/** The range a listener binds for `name` (validated). */
export function listenRange(name: ListenName): ServiceRange {
  if (typeof name === 'string') {
    const type = streamType(checkStreamName(name))
    return { type, lower: 0, upper: 0 }
  }
  return toRange(name)
}

/** The destination a connect goes to for `target` (validated). */
export function connectDestination(target: ConnectTarget): ServiceAddress | SocketAddress {
  if (typeof target === 'string') return { type: streamType(checkStreamName(target)), instance: 0 }
  if (target !== null && typeof target === 'object' && 'lower' in target) {
    throw new InvalidArgumentError('connect takes a service address {type, instance} or a socket address {node, ref}, not a range')
  }
  return checkDestination(target) as ServiceAddress | SocketAddress
}
