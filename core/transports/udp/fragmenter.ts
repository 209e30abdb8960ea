// Fragmentation and reassembly. A record larger than what one packet can
// carry is cut into a first, middle and last fragments that travel in order
// on the link (the link never interleaves records), so reassembly needs only
// one record in progress per link. Every length is checked against the
// announced total; anything inconsistent is Malformed.
import { Malformed } from './bytes.js'
import { FIRST_FRAGMENT_OVERHEAD, ITEM_FIRST, ITEM_LAST, ITEM_MIDDLE, ITEM_OVERHEAD, ITEM_WHOLE, MAX_RECORD_SIZE, type Item } from './packet.js'

/**
 * The items for one encoded record, each fitting `space` bytes of packet
 * (item header included; `space` must leave room for at least one byte),
 * appended to `items`; returns how many. Appended, not returned: a record
 * that fits one item (nearly all) costs no array of its own in a link's queue.
 */
export function fragmentInto(items: Item[], record: Uint8Array, space: number): number {
  if (record.byteLength + ITEM_OVERHEAD <= space) {
    items.push({ kind: ITEM_WHOLE, total: record.byteLength, bytes: record })
    return 1
  }
  const firstLen = space - FIRST_FRAGMENT_OVERHEAD
  const chunk = space - ITEM_OVERHEAD
  if (firstLen < 1 || chunk < 1) throw new RangeError(`packet space ${space} too small to fragment`)
  items.push({ kind: ITEM_FIRST, total: record.byteLength, bytes: record.subarray(0, firstLen) })
  let count = 1
  let at = firstLen
  while (at < record.byteLength) {
    const end = Math.min(record.byteLength, at + chunk)
    items.push({ kind: end === record.byteLength ? ITEM_LAST : ITEM_MIDDLE, total: record.byteLength, bytes: record.subarray(at, end) })
    count++
    at = end
  }
  return count
}

export class Reassembler {
  private buffer: Uint8Array | undefined
  private filled = 0

  /** Bytes held for a record in progress. */
  get pending(): number {
    return this.buffer ? this.filled : 0
  }

  /**
   * Take the next item in link order; returns a whole record when one is
   * complete, else undefined. Throws Malformed on an item out of place (the
   * record in progress is then discarded).
   */
  push(item: Item): Uint8Array | undefined {
    switch (item.kind) {
      case ITEM_WHOLE:
        if (this.buffer) return this.fail('whole record inside a fragmented one')
        return item.bytes
      case ITEM_FIRST:
        if (this.buffer) return this.fail('first fragment inside a fragmented record')
        if (item.total > MAX_RECORD_SIZE || item.bytes.byteLength >= item.total) return this.fail('bad fragment total')
        // Not zero-filled: a record is handed up only when its fragments covered every byte (ITEM_LAST's check).
        this.buffer = Buffer.allocUnsafe(item.total)
        this.buffer.set(item.bytes, 0)
        this.filled = item.bytes.byteLength
        return undefined
      case ITEM_MIDDLE:
      case ITEM_LAST: {
        const buffer = this.buffer
        if (!buffer) return this.fail('fragment without a first')
        const end = this.filled + item.bytes.byteLength
        if (end > buffer.byteLength) return this.fail('fragments exceed the total')
        if (item.kind === ITEM_MIDDLE && end === buffer.byteLength) return this.fail('middle fragment completes the record')
        if (item.kind === ITEM_LAST && end !== buffer.byteLength) return this.fail('last fragment short of the total')
        buffer.set(item.bytes, this.filled)
        this.filled = end
        if (item.kind === ITEM_MIDDLE) return undefined
        this.buffer = undefined
        this.filled = 0
        return buffer
      }
      default:
        return this.fail('unknown item kind')
    }
  }

  reset(): void {
    this.buffer = undefined
    this.filled = 0
  }

  private fail(reason: string): never {
    this.reset()
    throw new Malformed(reason)
  }
}
