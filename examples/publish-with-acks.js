// Publish with acks: a publisher learns, per message and per subscriber,
// whether the subscriber's code processed it. Two buses here, each its own
// node of the cluster (kernel TIPC where it works, else udp on loopback), as
// two processes on two machines would be.
//
//   npm run build && node examples/publish-with-acks.js
import { openBus } from 'tipc-rx'

const kitchen = await openBus()
const till = await openBus()

// The subscriber: an Observable of deliveries, acked by hand here (by default
// returning from the handler acks). An order it cannot make is terminated,
// with the reason, and the publisher's receipt says so.
kitchen.topic('orders').subscribe({ ack: 'manual' }).subscribe(d => {
  if (d.value.item === 'caviar') {
    d.term('not on the menu')
    return
  }
  console.log(`kitchen: making order ${d.value.id} (${d.value.item})`)
  d.ack()
})

const orders = till.topic('orders')
await orders.whenSubscribed(1)                     // presence: the kitchen is there
for (const [id, item] of [[1, 'tea'], [2, 'caviar'], [3, 'toast']]) {
  const receipt = await orders.publish({ id, item }, { ack: 'all', timeoutMs: 5000 })
  const outcomes = receipt.outcomes.map(o => o.kind === 'terminated' ? `terminated (${o.reason})` : o.kind)
  console.log(`till: order ${id} ok=${receipt.ok}: ${outcomes.join(', ')}`)
}

await till.close()
await kitchen.close()
