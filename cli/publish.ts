// `tipc-rx publish`: one value, or each line of stdin, with a receipt per
// message. Lines are read only as the in-flight window has room (at most
// WINDOW messages await their receipts), so stdin of any length streams
// through; receipts are reported as they settle, in message order. Exit 0 when every message
// got what --ack asked for, 1 when any did not (the summary says which and
// why), 2 for bad input: flags are checked before the bus opens, and a bad
// line stops the run there (what was sent before it is still reported).
import { CodecError, type Codec } from '../codecs/index.js'
import { checkTopic, MAX_KEY_BYTES, type Bus, type PublishOptions, type Topic } from '../core/index.js'
import { ackText, parseAck } from './ack-option.js'
import { codecName, writerCodec, type CodecArgs } from './codec-option.js'
import { openCliBus, type GlobalArgs } from './global-options.js'
import { inputMode, parseInput, type InputMode } from './input-value.js'
import { positiveInteger, positiveNumber } from './number-option.js'
import { OrderedReceipts } from './ordered-receipts.js'
import type { Output } from './output.js'
import { RateLimiter } from './rate-limiter.js'
import { FailureSummary, resultJson, resultLine, type PublishResult } from './receipt-format.js'
import { EXIT_FAILED, EXIT_OK } from './run-command.js'
import { serveRetained } from './serve-retained.js'
import { readLines } from './stdin-lines.js'
import { UsageError } from './usage-error.js'
import { waitForTargets } from './wait-subscribers.js'

/** Messages awaiting their receipts at most (the bus's default window). */
const WINDOW = 1024
/** How long --wait-subscribers waits when --timeout does not say. */
const DEFAULT_WAIT_MS = 10_000
/** The longest stdin line: the topic layer's largest message. */
const MAX_LINE_BYTES = 16 * 1024 * 1024

export interface PublishArgs extends GlobalArgs, CodecArgs {
  topic: string
  value: string | undefined
  json: boolean
  key: string | undefined
  ack: string
  timeout: string | undefined
  waitSubscribers: string | undefined
  count: string | undefined
  rate: string | undefined
  report: 'text' | 'json'
  /** --retain N and --linger MS (optional: callers that build PublishArgs by hand may leave them out). */
  retain?: string | undefined
  linger?: string | undefined
}

interface Plan {
  codec: Codec
  mode: InputMode
  options: PublishOptions
  waitFor: number | undefined
  waitMs: number
  count: number | undefined
  rate: number | undefined
  retain: number | undefined
  lingerMs: number | undefined
}

/** Every flag checked, before anything opens: bad input is exit 2 and nothing sent. */
function plan(args: PublishArgs): Plan {
  checkTopic(args.topic)
  const mode = inputMode(codecName(args), args.json)
  const timeoutMs = positiveNumber('timeout', args.timeout, 'ms')
  if (args.key !== undefined) {
    const bytes = Buffer.byteLength(args.key, 'utf8')
    if (bytes === 0 || bytes > MAX_KEY_BYTES) throw new UsageError(`--key must be 1 to ${MAX_KEY_BYTES} bytes of UTF-8, got ${bytes}`)
  }
  const options: PublishOptions = {
    ack: parseAck(args.ack),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(args.key !== undefined && { key: args.key }),
  }
  const retain = positiveInteger('retain', args.retain, 'messages kept for tail --from')
  const lingerMs = positiveNumber('linger', args.linger, 'ms')
  if (lingerMs !== undefined && retain === undefined) throw new UsageError('--linger goes with --retain (it is how long the retained messages are served)')
  return {
    retain, lingerMs,
    codec: writerCodec(args), mode, options,
    waitFor: positiveInteger('wait-subscribers', args.waitSubscribers, 'subscribers to wait for'),
    waitMs: timeoutMs ?? DEFAULT_WAIT_MS,
    count: positiveInteger('count', args.count, 'messages'),
    rate: positiveNumber('rate', args.rate, 'messages per second'),
  }
}

interface Input { n: number; where: string; bytes: Buffer }

/** The messages to send: the value (--count times), or each non-empty stdin line (at most --count). */
async function* inputs(args: PublishArgs, p: Plan, stdin: AsyncIterable<Buffer | string>): AsyncGenerator<Input> {
  if (args.value !== undefined) {
    const bytes = Buffer.from(args.value, 'utf8')
    for (let n = 1; n <= (p.count ?? 1); n++) yield { n, where: 'the value', bytes }
    return
  }
  let n = 0
  for await (const line of readLines(stdin, MAX_LINE_BYTES)) {
    // An empty line is no message (a trailing newline, a blank separator).
    if (line.bytes.length === 0) continue
    yield { n: ++n, where: `line ${line.number}`, bytes: line.bytes }
    if (p.count !== undefined && n >= p.count) return
  }
}

export async function publish(args: PublishArgs, out: Output, stdin: AsyncIterable<Buffer | string>): Promise<number> {
  const p = plan(args)
  const bus = await openCliBus(args)
  try {
    return await run(bus, args, p, out, stdin)
  } finally {
    await bus.close()
  }
}

async function run(bus: Bus, args: PublishArgs, p: Plan, out: Output, stdin: AsyncIterable<Buffer | string>): Promise<number> {
  const topic: Topic<unknown> = bus.topic(args.topic, { codec: p.codec, ...(p.retain !== undefined && { retain: { messages: p.retain } }) })
  if (p.waitFor !== undefined) {
    const waited = await waitForTargets(topic, p.waitFor, p.waitMs)
    if (!waited.ok) {
      out.warn(`tipc-rx: publish ${args.topic}: waited ${p.waitMs} ms for ${p.waitFor} subscribers, ${waited.known} known; nothing sent`)
      return EXIT_FAILED
    }
  }
  const failures = new FailureSummary()
  let sent = 0
  const report = (r: PublishResult): void => {
    failures.add(r)
    if (args.report === 'json') out.data(resultJson(r))
    else if ('error' in r || !r.receipt.ok) out.warn(resultLine(r))
    else out.info(resultLine(r))
  }
  const receipts = new OrderedReceipts(WINDOW, report)
  const limiter = p.rate === undefined ? undefined : new RateLimiter(p.rate)
  let badInput: UsageError | undefined
  try {
    for await (const input of inputs(args, p, stdin)) {
      const value = parseInput(input.bytes, p.mode, input.where)
      // Encoded here first, though publish encodes again: a value the codec
      // refuses must stop the run at its own line, before anything after it
      // is sent, and publish reports it only a turn later.
      checkEncodes(p.codec, value, input.where)
      await limiter?.next()
      const n = input.n
      receipts.add(topic.publish(value, p.options).then(receipt => ({ n, receipt }), (error: Error) => ({ n, error })))
      sent++
      await receipts.room()
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    badInput = err
  }
  await receipts.drained()
  const summary = `tipc-rx: publish ${args.topic}: ${sent} ${sent === 1 ? 'message' : 'messages'}, ${sent - failures.failed} ok, ${failures.failed} failed (${ackText(p.options.ack ?? 'all')})`
  if (failures.failed > 0) {
    out.warn(`${summary}:`)
    for (const line of failures.lines()) out.warn(line)
  } else {
    out.info(summary)
  }
  if (badInput !== undefined) throw badInput
  if (p.retain !== undefined) await serveRetained(args.topic, p.retain, p.lingerMs, out)
  return failures.failed > 0 ? EXIT_FAILED : EXIT_OK
}

function checkEncodes(codec: Codec, value: unknown, where: string): void {
  try {
    codec.encode(value)
  } catch (err) {
    if (err instanceof CodecError) throw new UsageError(`${where}: the ${codec.kind} codec refuses it: ${err.message}`, err)
    throw err
  }
}
