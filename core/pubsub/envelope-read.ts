// What the envelope decoders share: reading a u64 that must be a safe
// integer, and the refusals. A refusal is one frozen object per reason, so
// hostile input that is dropped allocates nothing.
import { ENVELOPE_DROP_REASONS, type DecodeResult, type EnvelopeDropReason } from './envelope-types.js'

export type Refusal = Extract<DecodeResult, { ok: false }>

const REFUSALS = new Map<EnvelopeDropReason, Refusal>(
  ENVELOPE_DROP_REASONS.map((reason) => [reason, Object.freeze({ ok: false, reason } as const)]))

/** The (shared, frozen) refusal for `reason`. */
export function refuse(reason: EnvelopeDropReason): Refusal {
  return REFUSALS.get(reason)!
}

/** 2^53: the high half of a safe integer is below 2^21. */
const SAFE_HIGH_LIMIT = 0x200000

/** The u64 at `at` as a number, or -1 if it is above Number.MAX_SAFE_INTEGER. */
export function readSafeInteger(view: DataView, at: number): number {
  const high = view.getUint32(at + 4, true)
  if (high >= SAFE_HIGH_LIMIT) return -1
  return high * 0x1_0000_0000 + view.getUint32(at, true)
}

/** prev from a prevDelta (0: none), or -1 if the delta reaches before seq 1. */
export function prevFromDelta(seq: number, delta: number): number {
  if (delta === 0) return 0
  return delta < seq ? seq - delta : -1
}
