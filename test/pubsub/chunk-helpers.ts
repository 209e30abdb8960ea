// Shared by the chunking tests: a payload with a recognisable pattern, and a
// reassembler on a manual clock that records what its hook reports.
import { Reassembler } from '../../core/pubsub/reassembly.js'
import type { ChunkPosition, ReassemblerOptions, ReassemblyFailureReport } from '../../core/pubsub/reassembly.js'
import { splitPayload } from '../../core/pubsub/chunking.js'
import { ManualClock } from './chunk-clock.js'

export function patterned(length: number, salt = 0): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >>> 8) + salt) & 0xff
  return out
}

export interface Rig {
  clock: ManualClock
  reassembler: Reassembler
  /** What the `failed` hook reported, in order. */
  reports: ReassemblyFailureReport[]
}

export function rig(options: ReassemblerOptions = {}): Rig {
  const clock = new ManualClock()
  const reports: ReassemblyFailureReport[] = []
  const reassembler = new Reassembler(clock, options, { failed: (r) => reports.push(r) })
  return { clock, reassembler, reports }
}

/** The chunks of `payload` as a publisher sends them, from `firstSeq` on. */
export function chunksOf(payload: Uint8Array, firstRoom: number, room: number, firstSeq = 1):
  { seq: number; position: ChunkPosition; bytes: Uint8Array }[] {
  const pieces = splitPayload(payload, firstRoom, room)
  return pieces.map((bytes, index) => ({
    seq: firstSeq + index,
    position: { index, count: pieces.length, totalLength: payload.length },
    bytes,
  }))
}
