// What a socket receives. Receiving is batch-shaped because the native tipc
// binding hands over many datagrams per JS call: a handler gets a MessageBatch
// and reads it by index (no object per message unless asked for) or iterates.
// The memory and udp transports build batches too, so code above the
// transport is written once for the batch shape.
import type { ServiceRange, SocketAddress } from './address.js'

/**
 * Why a message came back to its sender (TIPC's error codes):
 * NO_NAME   the name was withdrawn before the message arrived, and no other binding matched;
 * NO_PORT   the destination socket closed (or had closed) with the message unread;
 * NO_NODE   the destination node was lost with the message on its way;
 * OVERLOAD  the destination socket's receive queue was over its limit;
 * CONN_SHUTDOWN  a connection's peer shut down (connections report it as a clean end).
 */
export type ReturnCode = 'NO_NAME' | 'NO_PORT' | 'NO_NODE' | 'OVERLOAD' | 'CONN_SHUTDOWN'

export const RETURN_CODES: readonly ReturnCode[] = ['NO_NAME', 'NO_PORT', 'NO_NODE', 'OVERLOAD', 'CONN_SHUTDOWN']

/**
 * A message that came back undelivered: our own, or (a multicast copy
 * rejected on another node) one sent by another socket to a range we are
 * bound to (RdmSocket.onMessages says which).
 */
export interface ReturnedInfo {
  code: ReturnCode
  /** The first bytes of the message as sent: at most RETURNED_DATA_LIMIT (1024). */
  data: Uint8Array
  /**
   * The length TIPC reports with a returned message (TIPC_ERRINFO): the
   * length of `data`. Measured on kernel 6.1, TIPC cuts the message to 1024
   * bytes before returning it, so a longer original's size is not reported;
   * every transport does the same (protocols carry sizes in their headers).
   */
  length: number
}

export interface ReceivedMessage {
  /** The payload; empty for a returned message. */
  data: Uint8Array
  /** The sending socket; for a returned message, the socket it was returned by or meant for. */
  from: SocketAddress
  /**
   * The name the sender addressed: {type, instance, instance} for anycast,
   * the range for multicast; absent for unicast to a socket address.
   */
  dest?: ServiceRange
  /** Present when this is a message coming back undelivered (ours, or a multicast copy returned by name). */
  returned?: ReturnedInfo
}

/**
 * Messages received together. Views handed out stay valid for as long as the
 * caller holds them (a transport never reuses a batch's memory), unless the
 * application asked for borrowed receive (the udp transport's
 * `borrowedReceive`): then only until the handler returns.
 */
export interface MessageBatch extends Iterable<ReceivedMessage> {
  readonly length: number
  /** Message i (0 <= i < length). */
  at(i: number): ReceivedMessage
}

export type BatchHandler = (batch: MessageBatch) => void

/** A MessageBatch over an array: what in-process transports hand over. */
export class ArrayMessageBatch implements MessageBatch {
  readonly length: number
  private readonly messages: readonly ReceivedMessage[]

  constructor(messages: readonly ReceivedMessage[]) {
    this.messages = messages
    this.length = messages.length
  }

  at(i: number): ReceivedMessage {
    const m = this.messages[i]
    if (m === undefined) throw new RangeError(`message index ${i} out of range [0, ${this.length})`)
    return m
  }

  [Symbol.iterator](): Iterator<ReceivedMessage> {
    return this.messages[Symbol.iterator]()
  }
}
