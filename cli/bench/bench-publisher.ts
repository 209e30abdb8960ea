// One bench publisher process: waits until every subscriber is known, then
// publishes its share of the messages with up to `inflight` outstanding,
// timing each from publish() to its receipt, and reports when the last
// receipt is in and its END (ack 'all') has been acked by every subscriber.
import type { Receipt } from '../../core/index.js'
import { rawCodec } from '../../codecs/index.js'
import { exitWithParent, tellParent } from '../child-roles.js'
import { openCliBus, type GlobalArgs } from '../global-options.js'
import { clockMs, DATA_TAG, END_TAG, type BenchReport, type PublisherResult } from './bench-messages.js'
import type { BenchConfig } from './bench-config.js'

const PROGRESS_MS = 200
const SUBSCRIBERS_WAIT_MS = 30_000
const END_TIMEOUT_MS = 30_000

export async function benchPublisher(args: GlobalArgs, role: { topic: string; msgs: number; config: BenchConfig }): Promise<number> {
  exitWithParent()
  const { config } = role
  const bus = await openCliBus(args)
  const topic = bus.topic<Uint8Array>(role.topic, { codec: rawCodec() })
  await topic.whenSubscribed(config.subs, { timeoutMs: SUBSCRIBERS_WAIT_MS })
  await tellParent({ type: 'ready' } satisfies BenchReport)

  const value = new Uint8Array(config.size).fill(0x2a)
  value[0] = DATA_TAG
  const result: PublisherResult = {
    type: 'pub-result', msgs: 0, bytes: 0, startAt: clockMs(), endAt: 0,
    notOk: 0, notOkBy: {}, failed: 0, firstError: undefined, latenciesUs: new Float64Array(role.msgs),
  }
  const startedAt = new Float64Array(role.msgs)
  let settled = 0
  const progress = setInterval(() => void tellParent({ type: 'progress', settled } satisfies BenchReport), PROGRESS_MS)

  await new Promise<void>(resolve => {
    let next = 0
    let outstanding = 0
    let refillQueued = false
    const settle = (): void => {
      settled++
      outstanding--
      if (settled === role.msgs) resolve()
      else if (!refillQueued) {
        refillQueued = true
        setImmediate(pump)
      }
    }
    const onReceipt = (n: number) => (receipt: Receipt): void => {
      result.latenciesUs[n] = (clockMs() - (startedAt[n] as number)) * 1000
      if (!receipt.ok) countNotOk(result, receipt)
      settle()
    }
    const onError = (err: unknown): void => {
      result.failed++
      result.firstError ??= err instanceof Error ? err.message : String(err)
      settle()
    }
    // Refilled once per turn of the event loop, not from a receipt's own
    // continuation: with ack 'none' receipts come at once, and a loop fed by
    // them would never let the event loop read or write.
    function pump(): void {
      refillQueued = false
      while (outstanding < config.inflight && next < role.msgs) {
        const n = next++
        outstanding++
        startedAt[n] = clockMs()
        topic.publish(value, { ack: config.ack }).then(onReceipt(n), onError)
        result.msgs++
        result.bytes += value.byteLength
      }
    }
    pump()
  })
  result.endAt = clockMs()
  clearInterval(progress)
  void tellParent({ type: 'progress', settled } satisfies BenchReport)

  const end = await topic.publish(Uint8Array.of(END_TAG), { ack: 'all', timeoutMs: END_TIMEOUT_MS })
  if (!end.ok) result.firstError ??= `END not acked by every subscriber: ${end.outcomes.filter(o => o.kind !== 'acked').map(o => `${o.target} ${o.code ?? o.kind}`).join(', ')}`
  await tellParent(result)
  await bus.close()
  process.disconnect()
  return 0
}

function countNotOk(result: PublisherResult, receipt: Receipt): void {
  result.notOk++
  for (const o of receipt.outcomes) {
    if (o.kind === 'acked') continue
    const key = o.code === undefined ? o.kind : `${o.kind} ${o.code}`
    result.notOkBy[key] = (result.notOkBy[key] ?? 0) + 1
  }
}
