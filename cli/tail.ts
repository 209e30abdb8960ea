// `tipc-rx tail`: print the messages of one or more topics as they arrive.
// A message is acked (manual mode) once it is written out, so a publisher's
// receipt says what it should: the line is out. With --count N, the N-th
// message ends the run and any message behind it is left unacked (its
// publisher learns that this subscriber left), never acked unprinted.
// Ctrl-C (or SIGTERM) prints a one-line summary on stderr and exits 0.
import type { Subscription } from 'rxjs'
import { checkTopic, MAX_KEY_BYTES, type Bus, type Delivery, type SubscribeOptions } from '../core/index.js'
import { readerCodec, type CodecArgs } from './codec-option.js'
import { formatDelivery, type TailFormat } from './delivery-format.js'
import { openCliBus, type GlobalArgs } from './global-options.js'
import { positiveInteger } from './number-option.js'
import type { Output } from './output.js'
import { parseFrom } from './from-option.js'
import { parsePartition } from './partition-option.js'
import { EXIT_OK } from './run-command.js'
import { UsageError } from './usage-error.js'

export interface TailArgs extends GlobalArgs, CodecArgs {
  topics: string[]
  json: boolean
  count: string | undefined
  key: string | undefined
  partition: string | undefined
  group: string | undefined
  /** --from: replay first (optional: callers that build TailArgs by hand may leave it out). */
  from?: string | undefined
}

/** What tail saw, for the summary. */
class TailCounts {
  readonly started = performance.now()
  readonly byTopic = new Map<string, number>()
  total = 0
  undelivered = 0
  missed = 0

  summary(): string {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1)
    const topics = this.byTopic.size > 1 ? ` (${[...this.byTopic].map(([t, n]) => `${t} ${n}`).join(', ')})` : ''
    return `tipc-rx: tail: ${this.total} messages in ${seconds} s${topics}; ${this.undelivered} not delivered, ${this.missed} missed in gaps`
  }
}

function subscribeOptions(args: TailArgs): SubscribeOptions {
  if (args.from !== undefined && args.group !== undefined) throw new UsageError('--from and --group do not go together (a replay is for one subscriber)')
  if (args.key !== undefined && args.partition !== undefined) throw new UsageError('--key and --partition do not go together (a key is a one-instance partition)')
  if (args.key !== undefined) {
    const bytes = Buffer.byteLength(args.key, 'utf8')
    if (bytes === 0 || bytes > MAX_KEY_BYTES) throw new UsageError(`--key must be 1 to ${MAX_KEY_BYTES} bytes of UTF-8, got ${bytes}`)
  }
  return {
    ack: 'manual',
    ...(args.key !== undefined && { key: args.key }),
    ...(args.partition !== undefined && { partition: parsePartition(args.partition) }),
    ...(args.group !== undefined && { group: args.group }),
    ...(args.from !== undefined && { from: parseFrom(args.from) }),
  }
}

export async function tail(args: TailArgs, out: Output): Promise<number> {
  for (const name of args.topics) checkTopic(name)
  if (args.raw && args.json) throw new UsageError('--json and --raw do not go together (records or bytes: pick one)')
  const format: TailFormat = args.raw ? 'raw' : args.json ? 'json' : out.tty ? 'human' : 'value'
  const codec = readerCodec(args)
  const count = positiveInteger('count', args.count, 'messages')
  const options = subscribeOptions(args)
  const bus = await openCliBus(args)
  return follow(bus, args.topics, { codec, options, format, count }, out)
}

function follow(bus: Bus, topics: string[], how: { codec: ReturnType<typeof readerCodec>; options: SubscribeOptions; format: TailFormat; count: number | undefined }, out: Output): Promise<number> {
  const counts = new TailCounts()
  const subscriptions: Subscription[] = []
  return new Promise<number>((resolve, reject) => {
    let ended = false
    const end = (result: { code: number } | { error: Error }): void => {
      if (ended) return
      ended = true
      process.off('SIGINT', interrupted)
      process.off('SIGTERM', interrupted)
      for (const s of subscriptions) s.unsubscribe()
      void bus.close().then(() => ('error' in result ? reject(result.error) : resolve(result.code)), reject)
    }
    const interrupted = (): void => {
      out.info(counts.summary())
      end({ code: EXIT_OK })
    }
    process.on('SIGINT', interrupted)
    process.on('SIGTERM', interrupted)

    const print = (d: Delivery<unknown>): void => {
      // Past --count: not printed, so not acked (the run is ending).
      if (ended || (how.count !== undefined && counts.total >= how.count)) return
      const line = formatDelivery(d, how.format)
      if (line.bytes !== undefined) {
        out.bytes(line.bytes)
        out.bytes(NEWLINE)
      } else {
        out.data(line.text ?? '')
      }
      d.ack()
      counts.total++
      counts.byTopic.set(d.topic, (counts.byTopic.get(d.topic) ?? 0) + 1)
      // After this turn: the ack just given is flushed when the subscription closes.
      if (how.count !== undefined && counts.total >= how.count) setImmediate(() => end({ code: EXIT_OK }))
    }

    for (const name of topics) {
      const subscription = bus.topic(name, { codec: how.codec }).subscribe(how.options)
      subscriptions.push(subscription.failures$.subscribe(f => {
        counts.undelivered++
        out.warn(`tipc-rx: ${name}: a message from ${f.publisher.node}:${f.publisher.ref} was not delivered: ${f.reason}`)
      }))
      subscriptions.push(subscription.gaps$.subscribe(g => {
        counts.missed += g.to - g.from + 1
        out.warn(`tipc-rx: ${name}: messages ${g.from}-${g.to} from ${g.publisher.node}:${g.publisher.ref} will not arrive: ${g.reason}`)
      }))
      subscriptions.push(subscription.subscribe({ next: print, error: (error: Error) => end({ error }) }))
    }
    if (!ended) out.info(`tipc-rx: tail ${topics.join(' ')}: subscribed on node ${bus.transport.node} (${bus.transport.kind})`)
  })
}

const NEWLINE = new Uint8Array([0x0a])
