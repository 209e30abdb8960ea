// What a publisher is told about one message: the targets it expected to
// ack, the final outcome of each, and the receipt that closes the publish.
// These are the words of the delivery contract (DESIGN.md §6); each doc
// comment below says exactly what a word promises, and nothing more.
import { checkU32, InvalidArgumentError, type ReturnCode, type SocketAddress } from '../transport-contract/index.js'

/**
 * How many acks a publish waits for:
 * 'none'  fire and forget: the receipt is ready as soon as the message is sent;
 * 'all'   every target known when the message was sent;
 * 'one'   one target (typically a queue group reached by anycast);
 * n       a quorum: n targets (an integer >= 1).
 */
export type AckMode = 'none' | 'all' | 'one' | number

/**
 * Who is expected to ack a copy: a subscriber socket, 's:<node>:<ref>', or a
 * queue group (anycast: whichever member answers), 'g:<service type>'. A
 * string, so it can key maps and appear in a receipt as it is.
 */
export type TargetId = string

/** A TargetId taken apart. */
export type ParsedTarget =
  | { kind: 'socket'; address: SocketAddress }
  | { kind: 'group'; type: number }

/** The target id of one subscriber socket. */
export function socketTarget(address: SocketAddress): TargetId {
  return `s:${checkU32('node', address.node)}:${checkU32('ref', address.ref)}`
}

/** The target id of a queue group, by the service type its members bind. */
export function groupTarget(type: number): TargetId {
  return `g:${checkU32('group type', type)}`
}

const SOCKET_TARGET = /^s:(\d{1,10}):(\d{1,10})$/
const GROUP_TARGET = /^g:(\d{1,10})$/

/** Takes a TargetId apart; InvalidArgumentError if it is not one socketTarget or groupTarget makes. */
export function parseTarget(id: string): ParsedTarget {
  const socket = SOCKET_TARGET.exec(id)
  if (socket) return { kind: 'socket', address: { node: checkU32('node', Number(socket[1])), ref: checkU32('ref', Number(socket[2])) } }
  const group = GROUP_TARGET.exec(id)
  if (group) return { kind: 'group', type: checkU32('group type', Number(group[1])) }
  throw new InvalidArgumentError(`a target is 's:<node>:<ref>' or 'g:<type>', got '${id}'`)
}

/**
 * The final outcome of one target (a target has at most one):
 * 'acked'       the target's code processed the message (its handler returned, or it called ack());
 *               never "persisted" or "replicated": this layer does not promise those;
 * 'returned'    the copy came back undelivered with `code` (NO_PORT: the socket had closed;
 *               NO_NODE: its node was lost; NO_NAME: no binding matched any more); for a
 *               queue group, only when no member took it before the deadline;
 * 'left'        the target's binding was withdrawn (topology service) before it acked; it may
 *               or may not have processed the message;
 * 'terminated'  the target processed the message and refused it for good (term), with `reason`;
 * 'timedOut'    no ack (nor any other final answer) of the current attempt before the deadline;
 *               the target may or may not have processed it.
 */
export type OutcomeKind = 'acked' | 'returned' | 'left' | 'terminated' | 'timedOut'

export interface Outcome {
  target: TargetId
  /** The socket: the target itself, or for a group the member that answered (when one did). */
  subscriber?: SocketAddress
  /** The queue group's service type, for a group target. */
  group?: number
  kind: OutcomeKind
  /** Why the copy came back: only for 'returned'. */
  code?: ReturnCode
  /** The subscriber's reason: only for 'terminated'. */
  reason?: string
  /** The delivery attempt the outcome concerns: 1, plus one per redelivery after a nak. */
  attempts: number
  /** Copies sent to this target: the first, and every resend. */
  copies: number
  /** Clock time of the outcome. */
  at: number
}

/** What one publish came to; exactly one per message. */
export interface Receipt {
  topic: string
  seq: number
  ack: AckMode
  /** What an ack means here, named so no one reads more into it: the subscriber's code processed it. */
  meaning: 'processed'
  /** Whether the ack mode's condition held: every target acked ('all'), one ('one'), n (a quorum); always true for 'none'. */
  ok: boolean
  /** The targets expected to ack when the message was sent. */
  expected: TargetId[]
  /** The final outcomes, in the order they happened. */
  outcomes: Outcome[]
  /**
   * Targets with no final outcome: the receipt was settled without them
   * ('one' or a quorum decided first, 'none' never waits, or the publisher
   * closed). They are no longer resent to.
   */
  unsettled: TargetId[]
  /** The highest delivery attempt over the targets. */
  attempts: number
  /** Clock time the message was tracked (sent). */
  publishedAt: number
  /** Clock time the receipt was settled. */
  settledAt: number
  /** Present when the publisher closed before the message settled: why it closed. */
  closedReason?: string
}

/**
 * Why the publisher tells a socket target that a message will never come
 * (a control gap notice): it timed out, its target left, or its copy came
 * back. The same words as the envelope's gap reasons, of which these are the
 * ones the ack tracker decides ('terminated' is not among them: a subscriber
 * that terminated a message has delivered it, so it waits for nothing).
 */
export type AbandonReason = 'timeout' | 'left' | 'returned'
