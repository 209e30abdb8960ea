// What publish makes of its input (the value argument, or each stdin line):
// text (the default: each line is one JSON string on a json topic), JSON
// (--json, and always for Avro, whose values are written as their JSON),
// or bytes (--raw). Bad input names where it was (`line 7`, `the value`).
import { isUtf8 } from 'node:buffer'
import type { CodecName } from './codec-option.js'
import { UsageError } from './usage-error.js'

export type InputMode = 'text' | 'json' | 'bytes'

export function inputMode(codec: CodecName, json: boolean): InputMode {
  if (codec === 'raw') {
    if (json) throw new UsageError('--json does not go with --raw / --codec raw (raw values are bytes)')
    return 'bytes'
  }
  return codec === 'avro' || json ? 'json' : 'text'
}

export function parseInput(bytes: Buffer, mode: InputMode, where: string): unknown {
  if (mode === 'bytes') return bytes
  if (!isUtf8(bytes)) throw new UsageError(`${where} is not UTF-8 text${mode === 'text' ? ' (--raw sends bytes)' : ''}`)
  const text = bytes.toString('utf8')
  if (mode === 'text') return text
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new UsageError(`${where} is not JSON: ${(err as Error).message}`, err)
  }
}
