// The link-fault scenarios of issue 8, each measured into a ScenarioRow that
// the tests assert on and the probe prints:
//
// - pause: the receiving process frozen (SIGSTOP, as a long GC pause would)
//   for 0.5x, 1.5x or 3x the link tolerance in the middle of a 20,000-message
//   stream, then thawed (SIGCONT);
// - inject: one datagram put on the wire mid-stream, as if from the sender:
//   a real sender-to-receiver data packet with one bit of its source session
//   flipped (header byte 19, the last byte of the u32 at 16: packet.ts), a
//   data packet captured early in the stream sent again, or a state packet
//   (heartbeat) captured before the stream sent again.
//
// A seed picks the message size and where in the stream the fault falls, so
// a row can be run again with the same numbers (the timing of the processes
// still varies).
import { createHash } from 'node:crypto'
import type { DropStats } from '../../core/index.js'
import { LinkRun, STREAM_LENGTH, TIMING, dropsGrown, type StatsPair } from './link-run.js'
import type { SeenPacket } from './packet-relay.js'
import type { StreamCounts } from './stream-ledger.js'
import type { ReceiverProcess } from './stream-receiver-process.js'
import { sendStream, type StreamOutcome } from './stream-sender.js'

export const PAUSE_FACTORS = [0.5, 1.5, 3] as const
export type PauseFactor = (typeof PAUSE_FACTORS)[number]
export const INJECTIONS = ['forged-session', 'replayed-data', 'replayed-state'] as const
export type Injection = (typeof INJECTIONS)[number]

/** After a fault, the two views must agree within this (issue 8's bar). */
export const AGREE_WITHIN_MS = 1000
/** How long the views are watched after a fault, so a late agreement is measured rather than just failed. */
const AGREE_LOOK_MS = 3000
/** The byte of the header flipped by the forged packet: the low byte of the source session (offset 16, u32 big-endian). */
export const SOURCE_SESSION_LOW_BYTE = 19
const MIN_SIZE = 16
const MAX_SIZE = 1024

export interface ScenarioRow {
  /** 'pause 1.5x', 'forged-session', ... */
  scenario: string
  key: boolean
  seed: number
  /** Bytes per message. */
  size: number
  /** The sequence number the fault came before. */
  faultAt: number
  /** How long the receiver was stopped (pause scenarios). */
  pauseMs: number | undefined
  counts: StreamCounts
  stream: StreamOutcome
  /** Ms from the end of the fault until both views agreed; undefined: not within AGREE_LOOK_MS. */
  agreeMs: number | undefined
  /** The views agree once the stream is over and drained. */
  agreeAtEnd: boolean
  /** Drop counters that grew at the receiver from just before the fault to the end, by reason (otherCluster left out). */
  receiverDrops: Partial<DropStats>
  senderDrops: Partial<DropStats>
  /** Links taken down from just before the fault to the end. */
  linksDown: { sender: number; receiver: number }
}

/** A value in [lo, hi) chosen by the seed, a different one per `what`. */
export function seeded(seed: number, what: string, lo: number, hi: number): number {
  const h = createHash('sha256').update(`${seed}:${what}`).digest()
  return lo + Math.floor((h.readUInt32BE(0) / 0x1_0000_0000) * (hi - lo))
}

const stuckAfter = (faultMs: number) => faultMs + 2 * TIMING.toleranceMs + 1500
const drainQuietMs = 2 * TIMING.toleranceMs + 2000

async function measure(run: LinkRun, before: StatsPair): Promise<Pick<ScenarioRow, 'counts' | 'agreeAtEnd' | 'receiverDrops' | 'senderDrops' | 'linksDown'>> {
  const tally = await run.drain(drainQuietMs)
  const after = await run.stats()
  return {
    counts: run.ledger.account(tally),
    agreeAtEnd: await run.agreeNow(),
    receiverDrops: dropsGrown(before.receiver.node.drops, after.receiver.node.drops),
    senderDrops: dropsGrown(before.sender.node.drops, after.sender.node.drops),
    linksDown: {
      sender: after.sender.node.linksDown - before.sender.node.linksDown,
      receiver: after.receiver.node.linksDown - before.receiver.node.linksDown,
    },
  }
}

export async function pauseScenario(receiver: ReceiverProcess, factor: PauseFactor, key: boolean, seed: number): Promise<ScenarioRow> {
  const size = seeded(seed, 'size', MIN_SIZE, MAX_SIZE)
  const faultAt = seeded(seed, 'pause at', STREAM_LENGTH * 0.3, STREAM_LENGTH * 0.7)
  const pauseMs = factor * TIMING.toleranceMs
  const run = await LinkRun.open(receiver, { key, relay: false })
  let thaw: NodeJS.Timeout | undefined
  try {
    let before: StatsPair | undefined
    let agreeing: Promise<number | undefined> | undefined
    // The sender goes on while the receiver is stopped; the views are watched from the moment it is thawed.
    const pause = async () => {
      before = await run.stats()
      receiver.stop()
      const resumed = new Promise<number>(resolve => { thaw = setTimeout(() => { receiver.resume(); resolve(performance.now()) }, pauseMs) })
      agreeing = resumed.then(at => run.agreement(at, AGREE_LOOK_MS))
      // Awaited below; until then a failure must not count as unhandled (the stream may fail first).
      agreeing.catch(() => undefined)
    }
    const stream = await sendStream(run.tx, run.ledger, {
      dest: { type: run.type, instance: 0 }, size, stuckAfterMs: stuckAfter(pauseMs), before: new Map([[faultAt, pause]]), progress: () => run.progress(),
    })
    if (!agreeing || !before) throw new Error(`the stream ended before message ${faultAt}, where the pause was to start`)
    const agreeMs = await agreeing
    return { scenario: `pause ${factor}x`, key, seed, size, faultAt, pauseMs, stream, agreeMs, ...(await measure(run, before)) }
  } finally {
    // A scenario that failed mid-pause: thaw now, and not later in the middle of the next one.
    clearTimeout(thaw)
    if (receiver.stopped) receiver.resume()
    await run.close()
  }
}

/** The packet to inject, from what the relay has seen so far. */
function injected(kind: Injection, seen: { earlyState?: Buffer; earlyData?: Buffer; latestData?: Buffer }): Buffer {
  const pick = kind === 'replayed-state' ? seen.earlyState : kind === 'replayed-data' ? seen.earlyData : seen.latestData
  if (!pick) throw new Error(`no packet captured for ${kind}`)
  const packet = Buffer.from(pick)
  if (kind === 'forged-session') packet[SOURCE_SESSION_LOW_BYTE]! ^= 1
  return packet
}

export async function injectScenario(receiver: ReceiverProcess, kind: Injection, key: boolean, seed: number): Promise<ScenarioRow> {
  const size = seeded(seed, 'size', MIN_SIZE, MAX_SIZE)
  const earlyAt = seeded(seed, 'capture at', STREAM_LENGTH * 0.02, STREAM_LENGTH * 0.08)
  const faultAt = seeded(seed, 'inject at', STREAM_LENGTH * 0.4, STREAM_LENGTH * 0.6)
  const run = await LinkRun.open(receiver, { key, relay: true })
  const relay = run.relay!
  try {
    const seen: { earlyState?: Buffer; earlyData?: Buffer; latestData?: Buffer } = {}
    let capturingData = false
    relay.onSenderPacket = (p: SeenPacket) => {
      if (!p.link) return
      if (!p.withItems) seen.earlyState ??= p.bytes
      else {
        seen.latestData = p.bytes
        if (capturingData) seen.earlyData ??= p.bytes
      }
    }
    // A heartbeat of the idle link, before the stream: the old state packet.
    const deadline = performance.now() + 5 * TIMING.heartbeatMs + 1000
    while (!seen.earlyState && performance.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
    let before: StatsPair | undefined
    let agreeing: Promise<number | undefined> | undefined
    const inject = async () => {
      before = await run.stats()
      await relay.inject(injected(kind, seen))
      agreeing = run.agreement(performance.now(), AGREE_LOOK_MS)
      agreeing.catch(() => undefined)
    }
    const stream = await sendStream(run.tx, run.ledger, {
      dest: { type: run.type, instance: 0 }, size, stuckAfterMs: stuckAfter(0), progress: () => run.progress(),
      before: new Map<number, () => unknown>([[earlyAt, () => { capturingData = true }], [faultAt, inject]]),
    })
    if (!agreeing || !before) throw new Error(`the stream ended before message ${faultAt}, where the packet was to be injected`)
    const agreeMs = await agreeing
    return { scenario: kind, key, seed, size, faultAt, pauseMs: undefined, stream, agreeMs, ...(await measure(run, before)) }
  } finally {
    await run.close()
  }
}
