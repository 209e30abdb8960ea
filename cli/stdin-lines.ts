// The lines of a stream (stdin), read as they are consumed: the stream's
// async iterator reads a chunk only when the consumer asks for the next line
// after the last of the chunk before, so a publisher that waits for room in
// its window stops reading stdin, and a pipe of any length costs one chunk
// and one line of memory. Lines are bytes (`--raw` sends them as they are);
// '\n' ends a line and a '\r' before it is dropped. A line longer than
// `maxLineBytes` is bad input, not a reason to hold all of stdin.
import { UsageError } from './usage-error.js'

export interface InputLine {
  /** 1-based line number in the input (empty lines count). */
  number: number
  bytes: Buffer
}

export async function* readLines(input: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<InputLine> {
  let partial: Buffer[] = []
  let partialBytes = 0
  let number = 0
  const line = (tail: Buffer): InputLine => {
    const whole = partial.length === 0 ? tail : Buffer.concat([...partial, tail])
    partial = []
    partialBytes = 0
    number++
    const end = whole.length > 0 && whole[whole.length - 1] === 0x0d ? whole.length - 1 : whole.length
    return { number, bytes: whole.subarray(0, end) }
  }
  for await (const piece of input) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece
    let start = 0
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      if (partialBytes + nl - start > maxLineBytes) throw tooLong(number + 1, maxLineBytes)
      yield line(chunk.subarray(start, nl))
      start = nl + 1
    }
    if (start < chunk.length) {
      partialBytes += chunk.length - start
      if (partialBytes > maxLineBytes) throw tooLong(number + 1, maxLineBytes)
      // A copy: the stream may reuse its chunk's memory.
      partial.push(Buffer.from(chunk.subarray(start)))
    }
  }
  if (partialBytes > 0) yield line(Buffer.alloc(0))
}

function tooLong(number: number, max: number): UsageError {
  return new UsageError(`line ${number} is longer than ${max} bytes, the largest message`)
}
