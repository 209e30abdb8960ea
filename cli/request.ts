// `tipc-rx request <topic> <value>`: send one request, print its reply on
// stdout, exit 0. No server, no reply within --timeout, a server that
// vanished with it, or a handler that failed: exit 1 with the reason on
// stderr. A new process on udp learns the cluster's names by discovery
// (beacons every 500 ms), so it first waits up to --wait for a server of the
// name to be known; on tipc the kernel's name table is complete at once, so
// a topic nobody serves fails at once.
import { CodecError, jsonCodec, rawCodec, type Codec } from '../codecs/index.js'
import { checkTopic, keyInstance, serviceType, type Bus, type RequestOptions } from '../core/index.js'
import { codecName, writerCodec, type CodecArgs } from './codec-option.js'
import { jsonText } from './delivery-format.js'
import { openCliBus, type GlobalArgs } from './global-options.js'
import { inputMode, parseInput } from './input-value.js'
import { positiveNumber } from './number-option.js'
import type { Output } from './output.js'
import { EXIT_OK } from './run-command.js'
import { UsageError } from './usage-error.js'

export interface RequestArgs extends GlobalArgs, CodecArgs {
  topic: string
  value: string
  json: boolean
  key: string | undefined
  group: string | undefined
  timeout: string | undefined
  wait: string | undefined
  retries: string | undefined
}

/** How long a udp process waits for discovery to make a server known, by default. */
const DEFAULT_UDP_WAIT_MS = 1500

export async function request(args: RequestArgs, out: Output): Promise<number> {
  checkTopic(args.topic)
  const codec = writerCodec(args)
  const mode = inputMode(codecName(args), args.json)
  const value = parseInput(Buffer.from(args.value, 'utf8'), mode, 'the value')
  try {
    codec.encode(value)
  } catch (err) {
    if (err instanceof CodecError) throw new UsageError(`the value does not fit the codec: ${err.message}`, err)
    throw err
  }
  const timeoutMs = positiveNumber('timeout', args.timeout, 'ms to wait for the reply') ?? 5000
  const retries = args.retries === undefined ? 0 : Number(args.retries)
  if (!Number.isSafeInteger(retries) || retries < 0) throw new UsageError(`--retries must be an integer >= 0, got '${args.retries}'`)
  const replyCodec: Codec = codecName(args) === 'raw' ? rawCodec() : jsonCodec()
  const options: RequestOptions = {
    codec, replyCodec, timeoutMs, retries,
    ...(args.key !== undefined && { key: args.key }),
    ...(args.group !== undefined && { group: args.group }),
  }
  const bus = await openCliBus(args)
  try {
    const waitMs = args.wait === undefined ? (bus.transport.kind === 'udp' ? DEFAULT_UDP_WAIT_MS : 0) : positiveNumber('wait', args.wait, 'ms to wait for a server to be known') ?? 0
    await serverKnown(bus, args, Math.min(waitMs, timeoutMs))
    const reply = await bus.request(args.topic, value, options)
    if (reply instanceof Uint8Array) {
      out.bytes(reply)
      out.bytes(NEWLINE)
    } else {
      out.data(typeof reply === 'string' && !args.json ? reply : jsonText(reply))
    }
    return EXIT_OK
  } finally {
    await bus.close()
  }
}

/** Resolves once a server for the request's name is bound somewhere this node knows of, or after `ms`. */
function serverKnown(bus: Bus, args: RequestArgs, ms: number): Promise<void> {
  const type = serviceType(args.topic, args.group)
  const instance = args.key === undefined ? 0 : keyInstance(Buffer.from(args.key, 'utf8'))
  return new Promise<void>(resolve => {
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      queueMicrotask(() => subscription.cancel())
      resolve()
    }
    const timer = setTimeout(finish, ms)
    const subscription = bus.transport.subscribe({ type, lower: instance, upper: instance }, e => {
      if (e.kind === 'published') finish()
    })
    if (ms === 0) finish()
  })
}

const NEWLINE = new Uint8Array([0x0a])
