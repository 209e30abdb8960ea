// Transport selection: option over environment over auto; auto prefers tipc,
// then udp, never memory; the choice and the reason are visible.
import t from 'tap'
import type { Transport } from '../../core/transport-contract/transport.js'
import { MemoryNetwork } from '../../core/transports/memory/index.js'
import { open, selectTransport, TransportRegistry, type TransportFactory } from '../../core/index.js'

const network = new MemoryNetwork()
function fake(kind: 'tipc' | 'udp', available: boolean, autoPriority: number): TransportFactory {
  return {
    kind,
    autoPriority,
    probe: () => (available ? { available: true, detail: `${kind} ok` } : { available: false, reason: `no ${kind} here` }),
    open: () => Promise.resolve({ ...network.open(), kind } as unknown as Transport),
  }
}
const memory: TransportFactory = { kind: 'memory', probe: () => ({ available: true, detail: 'in process' }), open: () => Promise.resolve(network.open()) }
const registry = (tipc: boolean, udp: boolean) => new TransportRegistry([fake('tipc', tipc, 200), fake('udp', udp, 100), memory])

t.test('auto: tipc where it works, else udp, with the reason', async t => {
  t.match(await selectTransport({ registry: registry(true, true), env: {} }), { kind: 'tipc', by: 'auto' })
  const s = await selectTransport({ registry: registry(false, true), env: {} })
  t.match(s, { kind: 'udp', by: 'auto' })
  t.match(s.reason, /no tipc here/, 'says why tipc was not used')
})

t.test('auto with nothing available: NoTransportError with every reason', async t => {
  await t.rejects(selectTransport({ registry: registry(false, false), env: {} }), {
    code: 'ERR_TIPC_NO_TRANSPORT', reasons: { tipc: 'no tipc here', udp: 'no udp here' },
  })
  await t.rejects(selectTransport({ registry: new TransportRegistry([memory]), env: {} }), { code: 'ERR_TIPC_NO_TRANSPORT' }, 'memory is never chosen by auto')
})

t.test('the option forces a kind; the environment variable too; the option wins', async t => {
  t.match(await selectTransport({ transport: 'memory', registry: registry(true, true), env: {} }), { kind: 'memory', by: 'option' })
  t.match(await selectTransport({ registry: registry(true, true), env: { TIPC_RX_TRANSPORT: 'udp' } }), { kind: 'udp', by: 'env' })
  t.match(await selectTransport({ transport: 'tipc', registry: registry(true, true), env: { TIPC_RX_TRANSPORT: 'udp' } }), { kind: 'tipc', by: 'option' })
})

t.test('a forced kind that cannot run is an error, not a fallback', async t => {
  await t.rejects(selectTransport({ transport: 'tipc', registry: registry(false, true), env: {} }), {
    code: 'ERR_TIPC_TRANSPORT_UNAVAILABLE', kind: 'tipc', reason: 'no tipc here',
  })
  // The registry is open: a kind it does not hold is unknown, whatever the name.
  await t.rejects(selectTransport({ transport: 'udp', registry: new TransportRegistry([memory]), env: {} }), { code: 'ERR_TIPC_UNKNOWN_TRANSPORT', kind: 'udp' },
    'a kind missing from the registry cannot be forced')
  await t.rejects(selectTransport({ env: { TIPC_RX_TRANSPORT: 'carrier-pigeon' } }), { code: 'ERR_TIPC_UNKNOWN_TRANSPORT' })
})

t.test('open() returns the transport with its selection', async t => {
  const transport = await open({ transport: 'memory', env: {} })
  t.equal(transport.kind, 'memory')
  t.match(transport.selection, { kind: 'memory', by: 'option' })
  const second = await open({ env: { TIPC_RX_TRANSPORT: 'memory' } })
  t.not(second.node, transport.node, 'default memory opens join one shared network as separate nodes')
  await transport.close()
  await second.close()
})

t.test('the built-in registry: auto picks tipc where the kernel has it, else udp', async t => {
  const selection = await selectTransport({ env: {} })
  const tipc = selection.probes.tipc!
  t.equal(selection.kind, tipc.available ? 'tipc' : 'udp')
  t.equal(selection.by, 'auto')
  if (!tipc.available) t.match(selection.reason, /tipc is not available/, 'and says why not tipc')
})
