// How tail prints a delivery. On a terminal, one line a person reads: time,
// topic, key, publisher, sequence, then the value. Into a pipe, the value
// alone, one per line (JSON text; bytes as they are), the way kcat prints a
// payload, for `| jq` and `| head`. `--json`: NDJSON with topic, key,
// publisher, sequence, timestamp and the value. `--raw`: the bytes, each
// message followed by a newline.
import { isUtf8 } from 'node:buffer'
import type { Delivery } from '../core/index.js'

export type TailFormat = 'human' | 'value' | 'json' | 'raw'

export interface FormattedDelivery {
  /** A line of text (without its newline), or bytes to write as they are. */
  text?: string
  bytes?: Uint8Array
}

export function formatDelivery(d: Delivery<unknown>, format: TailFormat): FormattedDelivery {
  switch (format) {
    case 'raw':
      return { bytes: d.value instanceof Uint8Array ? d.value : Buffer.from(jsonText(d.value), 'utf8') }
    case 'value':
      return d.value instanceof Uint8Array ? { bytes: d.value } : { text: jsonText(d.value) }
    case 'json':
      return { text: JSON.stringify(jsonRecord(d), jsonReplacer) }
    case 'human':
      return { text: humanLine(d) }
  }
}

function jsonRecord(d: Delivery<unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {
    topic: d.topic,
    key: d.key ?? (d.keyBytes === undefined ? null : { base64: Buffer.from(d.keyBytes).toString('base64') }),
    publisher: { node: d.publisher.node, ref: d.publisher.ref },
    sequence: d.sequence,
    timestamp: d.timestamp,
    attempt: d.attempt,
  }
  if (d.value instanceof Uint8Array) {
    const text = bytesText(d.value)
    record.encoding = text === undefined ? 'base64' : 'utf8'
    record.value = text ?? Buffer.from(d.value).toString('base64')
  } else {
    record.value = d.value
  }
  return record
}

function humanLine(d: Delivery<unknown>): string {
  const time = new Date(d.timestamp).toISOString().slice(11, 23)
  const key = d.key !== undefined ? ` key=${d.key}` : d.keyBytes !== undefined ? ` key=0x${Buffer.from(d.keyBytes).toString('hex')}` : ''
  const value = d.value instanceof Uint8Array ? (bytesText(d.value) ?? `0x${Buffer.from(d.value).toString('hex')}`) : jsonText(d.value)
  const again = d.attempt > 1 ? ` (attempt ${d.attempt})` : ''
  return `${time} ${d.topic}${key} #${d.sequence} from ${d.publisher.node}:${d.publisher.ref}${again}  ${value}`
}

function bytesText(bytes: Uint8Array): string | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return isUtf8(buf) ? buf.toString('utf8') : undefined
}

/** A value as JSON text: BigInts (Avro longs held as BigInt) as digits, bytes inside values as base64. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, jsonReplacer) ?? 'null'
}

// `this[key]` is the value before its toJSON ran: a Buffer inside an Avro
// record would otherwise print as {"type":"Buffer","data":[...]}.
function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key]
  if (original instanceof Uint8Array) return Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64')
  if (typeof value === 'bigint') return value.toString()
  return value
}
