import { simulate } from './topic-simulation.js'
import { Ledger } from './sim-ledger.js'
const orig = Ledger.prototype.subscriber
const all: any[] = []
Ledger.prototype.subscriber = function (...a: any[]) { const s = (orig as any).apply(this, a); all.push(s); return s }
const r = await simulate(Number(process.argv[2]))
console.log(r.failures)
for (const s of all) console.log(s.id, JSON.stringify(s.what), s.address, s.gaps.map((g: any) => `${g.from}-${g.to} ${g.reason}`), s.received.map((h: any) => `${h.seq}:${h.value.n}@${h.attempt}`).join(' '))
