import { MemoryNetwork } from '../../core/transports/memory/network.js'
import { Bus } from '../../core/pubsub/bus.js'
const net = new MemoryNetwork()
const b0 = new Bus(net.open()), b1 = new Bus(net.open())
const server = b1.serve('t', (v: string) => v)
await net.settle()
;(server as any).socket.pause()
const p = b0.request('t', 'lost', { timeoutMs: 600000 }).catch(e => e)
await new Promise(r => setTimeout(r, 50))
server.close()
const e = await Promise.race([p, new Promise(r => setTimeout(r, 100, 'none'))]) as any
console.log(e?.constructor?.name, e?.code, e?.message, e?.reason)
console.log(b0.requestStats().requester)
