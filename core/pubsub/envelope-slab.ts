// Where encoded envelopes get their bytes: slices of a shared slab, as
// Buffer.allocUnsafe's pool does, but zero-filled and never reused. A
// Uint8Array of its own for each envelope (a data copy is 100-200 bytes)
// allocates an off-heap backing store that the garbage collector tracks
// and frees one by one: a third of the encoder's cost in a profile. A
// slice costs one small heap object.
//
// A slab is never written again once full: a slice handed out stays the
// envelope's alone for as long as anyone holds it (every transport copies
// or sends the bytes; a slice held longer keeps its slab alive, at most
// SLAB_BYTES). Zero-filled: a byte the encoder skips can never carry
// another message's data.
//
// One exception, for the copies of large messages a publisher sends:
// borrowedEnvelopeSpace() writes an envelope larger than a slab slice into
// one buffer that the next such envelope writes over. A fresh zero-filled
// array of 60 KiB per copy was a fifth of the publisher's time at that
// size (page faults, zeroing, and the collector's count of off-heap bytes,
// which brings mark-compacts). Safe because a send copies the data before
// it returns (the transport contract, tested on every transport) and the
// outbox copies what it has to queue (ownedEnvelope).

/** The slab size: small enough that one long-held slice keeps little alive. */
export const SLAB_BYTES = 16 * 1024
/** Envelopes larger than this get an array of their own (most of a slab would go to one). */
export const MAX_SLAB_SLICE = 2 * 1024

let slab = new Uint8Array(SLAB_BYTES)
/** One DataView per slab: a DataView per envelope cost more than the rest of its header writes. */
let slabView = new DataView(slab.buffer)
let used = 0

/** Where one envelope is written: `bytes[base, base + length)`, and a view over the same memory. */
export interface EnvelopeSpace {
  readonly bytes: Uint8Array
  readonly view: DataView
  readonly base: number
}

/** The one EnvelopeSpace, updated by every call: read it before the next. */
const space: { -readonly [K in keyof EnvelopeSpace]: EnvelopeSpace[K] } = { bytes: slab, view: slabView, base: 0 }

/**
 * Room for one encoded envelope of `length` zero bytes, its own for as long
 * as a slice of it is held. The answer is valid until the next call (it is
 * one object, updated, not one per envelope): take its fields at once.
 */
export function envelopeSpace(length: number): EnvelopeSpace {
  if (length > MAX_SLAB_SLICE) {
    const own = new Uint8Array(length)
    space.bytes = own
    space.view = new DataView(own.buffer)
    space.base = 0
    return space
  }
  if (used + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES)
    slabView = new DataView(slab.buffer)
    used = 0
  }
  space.bytes = slab
  space.view = slabView
  space.base = used
  // 8-byte aligned: the next envelope's writes start on a word.
  used += (length + 7) & ~7
  return space
}

/** The buffer large envelopes are borrowed from: grown to the largest asked for. */
let borrowed = new Uint8Array(0)
let borrowedView = new DataView(borrowed.buffer)

/**
 * envelopeSpace(), but an envelope larger than a slab slice is written into
 * the one borrowed buffer: valid until the next borrowed envelope, and NOT
 * zero-filled (the data encoder writes every byte: tested). For bytes that
 * go straight to a send; whoever keeps them takes ownedEnvelope().
 */
export function borrowedEnvelopeSpace(length: number): EnvelopeSpace {
  if (length <= MAX_SLAB_SLICE) return envelopeSpace(length)
  if (borrowed.length < length) {
    borrowed = new Uint8Array(length)
    borrowedView = new DataView(borrowed.buffer)
  }
  space.bytes = borrowed
  space.view = borrowedView
  space.base = 0
  return space
}

/** `bytes` itself, or a copy of them if they are a borrowed envelope's (written over by the next one). */
export function ownedEnvelope(bytes: Uint8Array): Uint8Array {
  return bytes.buffer === borrowed.buffer ? bytes.slice() : bytes
}
