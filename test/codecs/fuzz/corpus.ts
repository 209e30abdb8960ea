// The saved fuzz corpus: one JSON object per line in corpus/<target>.jsonl,
// {"hex": input, "expect": "ok" | CodecError code, "note": why it is kept}.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface CorpusEntry {
  hex: string
  expect: string
  note: string
}

export const corpusPath = (target: string): string =>
  fileURLToPath(new URL(`../corpus/${target}.jsonl`, import.meta.url))

export function readCorpus(target: string): CorpusEntry[] {
  const path = corpusPath(target)
  if (!existsSync(path)) return []
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusEntry)
}

/** Adds entries not already present (by input), keeping the file's order. */
export function appendCorpus(target: string, entries: CorpusEntry[]): number {
  const current = readCorpus(target)
  const seen = new Set(current.map((e) => e.hex))
  const fresh = entries.filter((e) => !seen.has(e.hex) && seen.add(e.hex))
  if (fresh.length === 0) return 0
  writeFileSync(corpusPath(target), [...current, ...fresh].map((e) => JSON.stringify(e)).join('\n') + '\n')
  return fresh.length
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
export const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'))
