// A work queue: subscriptions with the same `group` share a topic's messages,
// each job going to one member (TIPC anycast; round robin on udp). The
// group is one target of the publisher's receipt, acked by the member that
// did the job. Three worker buses here, each its own node of the cluster.
//
//   npm run build && node examples/work-queue.js
import { firstValueFrom, filter } from 'rxjs'
import { openBus } from 'tipc-rx'

const workers = await Promise.all(['w1', 'w2', 'w3'].map(async name => ({ name, bus: await openBus() })))
const done = new Map()
for (const { name, bus } of workers) {
  // The callback form: the next job waits until this one's promise resolves,
  // and resolving it acks the job.
  void bus.topic('resize-images').subscribe({ group: 'resizers' }).consume(async job => {
    await new Promise(resolve => setTimeout(resolve, 20))      // the work
    done.set(name, [...(done.get(name) ?? []), job.value.image])
  })
}

const boss = await openBus()
const jobs = boss.topic('resize-images')
// Presence counts a queue group once, as the one target it is: wait for it.
await firstValueFrom(jobs.subscribers$().pipe(filter(e => e.kind === 'group-joined')))
const receipts = await Promise.all(
  Array.from({ length: 12 }, (_, n) => jobs.publish({ image: `photo-${n}.jpg` }, { ack: 'all', timeoutMs: 10_000 })),
)
console.log(`boss: ${receipts.filter(r => r.ok).length} of ${receipts.length} jobs acked, each by one member of the group`)
for (const [name, images] of [...done.entries()].sort()) console.log(`${name}: ${images.join(' ')}`)

await boss.close()
await Promise.all(workers.map(w => w.bus.close()))
