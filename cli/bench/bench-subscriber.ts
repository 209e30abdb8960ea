// One bench subscriber process: subscribes to the run's topic (raw bytes,
// automatic acks, a blocking receive buffer so nothing is dropped here),
// counts what it is given and when, and reports once it has the END of every
// publisher. END is published with ack 'all' after a publisher's last
// receipt, and a publisher's stream is delivered in order, so every data
// message that was going to arrive has arrived before it.
import { rawCodec } from '../../codecs/index.js'
import { exitWithParent, tellParent } from '../child-roles.js'
import { openCliBus, type GlobalArgs } from '../global-options.js'
import { clockMs, DATA_TAG, END_TAG, STOP, type BenchReport, type SubscriberResult } from './bench-messages.js'

const PROGRESS_MS = 200

export async function benchSubscriber(args: GlobalArgs, role: { topic: string; pubs: number }): Promise<number> {
  exitWithParent()
  const bus = await openCliBus(args)
  const result: SubscriberResult = { type: 'sub-result', msgs: 0, bytes: 0, firstAt: 0, lastAt: 0, gaps: 0 }
  let ends = 0
  const subscription = bus.topic<Uint8Array>(role.topic, { codec: rawCodec() }).subscribe({ buffer: { size: 1024, policy: 'block' } })
  subscription.gaps$.subscribe(() => { result.gaps++ })
  const allEnded = new Promise<void>(resolve => {
    subscription.subscribe(d => {
      if (d.value[0] === DATA_TAG) {
        const now = clockMs()
        if (result.msgs === 0) result.firstAt = now
        result.msgs++
        result.bytes += d.value.byteLength
        result.lastAt = now
      } else if (d.value[0] === END_TAG && ++ends === role.pubs) {
        resolve()
      }
    })
  })
  const stopped = new Promise<void>(resolve => {
    process.on('message', (m: unknown) => { if ((m as { type?: unknown }).type === STOP.type) resolve() })
  })
  await tellParent({ type: 'ready' } satisfies BenchReport)
  const progress = setInterval(() => void tellParent({ type: 'progress', settled: result.msgs } satisfies BenchReport), PROGRESS_MS)
  await allEnded
  clearInterval(progress)
  await tellParent(result)
  // Closing now could lose the ack of the last END (acks leave once per
  // turn); the coordinator says stop once every publisher has its receipt.
  await stopped
  await bus.close()
  process.disconnect()
  return 0
}
