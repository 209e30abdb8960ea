// The registry is open: a transport from outside the package registers
// itself, declares its options by declaration merging, and is opened by name
// like a built-in one. This file imports only the package's public entry, as
// a third party would.
import t from 'tap'
import {
  MemoryNetwork, open, probeTransport, registerTransport, selectTransport, transportRegistry, TransportRegistry,
  UnknownTransportError,
  type SelectionOptions, type Transport, type TransportFactory,
} from '../../core/index.js'

/** The fake transport's own options, under its kind in open(). */
interface PigeonOptions {
  /** How many birds carry each message (the fake only remembers it). */
  flock: number
}

// What a third party writes to make `open({ transport: 'carrier-pigeon', 'carrier-pigeon': {...} })` typed.
declare module '../../core/index.js' {
  interface TransportOptionsByKind {
    'carrier-pigeon': PigeonOptions
  }
}

/** A transport that is a memory node under another name: enough to carry real messages. */
class PigeonTransport implements Transport {
  readonly kind = 'carrier-pigeon'
  constructor(private readonly inner: Transport, readonly flock: number) {}
  get node(): number { return this.inner.node }
  get capabilities(): Transport['capabilities'] { return this.inner.capabilities }
  get closed(): boolean { return this.inner.closed }
  rdm(): ReturnType<Transport['rdm']> { return this.inner.rdm() }
  listen(...args: Parameters<Transport['listen']>): ReturnType<Transport['listen']> { return this.inner.listen(...args) }
  connect(...args: Parameters<Transport['connect']>): ReturnType<Transport['connect']> { return this.inner.connect(...args) }
  subscribe(...args: Parameters<Transport['subscribe']>): ReturnType<Transport['subscribe']> { return this.inner.subscribe(...args) }
  watchNodes(...args: Parameters<Transport['watchNodes']>): ReturnType<Transport['watchNodes']> { return this.inner.watchNodes(...args) }
  close(): Promise<void> { return this.inner.close() }
}

const loft = new MemoryNetwork()
const pigeon: TransportFactory<'carrier-pigeon'> = {
  kind: 'carrier-pigeon',
  probe: () => ({ available: true, detail: 'the loft is open' }),
  open: options => Promise.resolve(new PigeonTransport(loft.open(), options?.flock ?? 1)),
}
registerTransport(pigeon)

t.test('a transport registered from outside is opened by name, with its own options', async t => {
  t.same(transportRegistry.kinds(), ['tipc', 'udp', 'memory', 'carrier-pigeon'], 'after the built-in ones')
  const a = await open({ transport: 'carrier-pigeon', 'carrier-pigeon': { flock: 3 }, env: {} })
  t.equal(a.kind, 'carrier-pigeon')
  t.ok(a instanceof PigeonTransport && a.flock === 3, 'the factory got its own section of the options')
  t.match(a.selection, { kind: 'carrier-pigeon', by: 'option', reason: /the loft is open/ })
  const b = await open({ env: { TIPC_RX_TRANSPORT: 'carrier-pigeon' } })
  t.match(b.selection, { kind: 'carrier-pigeon', by: 'env' })
  t.ok(b instanceof PigeonTransport && b.flock === 1, 'no options: the factory got undefined')

  const received: string[] = []
  const rx = b.rdm()
  rx.bind({ type: 1000, lower: 0, upper: 9 })
  rx.onMessages(batch => { for (const m of batch) received.push(Buffer.from(m.data).toString()) })
  t.ok(a.rdm().send({ type: 1000, instance: 5 }, Buffer.from('coo')), 'sent')
  await loft.settle()
  t.same(received, ['coo'], 'a real message went through')
  await a.close()
  await b.close()
})

t.test('a name nobody registered: UnknownTransportError listing the registered kinds', async t => {
  // @ts-expect-error a kind no transport declared is a type error too
  const typo = selectTransport({ transport: 'carrier-pidgeon', env: {} })
  const err = await typo.then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof UnknownTransportError, 'typed')
  t.match(err, {
    code: 'ERR_TIPC_UNKNOWN_TRANSPORT', kind: 'carrier-pidgeon', registered: ['tipc', 'udp', 'memory', 'carrier-pigeon'],
    message: /the transport option must be one of auto, tipc, udp, memory, carrier-pigeon; got 'carrier-pidgeon'/,
  })
  await t.rejects(selectTransport({ env: { TIPC_RX_TRANSPORT: 'smoke-signals' } }), {
    code: 'ERR_TIPC_UNKNOWN_TRANSPORT', kind: 'smoke-signals', message: /^TIPC_RX_TRANSPORT must be one of auto, tipc, udp, memory, carrier-pigeon/,
  })
})

t.test('registration refuses a taken name, a reserved name, a name that is not one; the same factory twice is a no-op', async t => {
  t.doesNotThrow(() => registerTransport(pigeon), 'same factory again')
  t.throws(() => registerTransport({ ...pigeon }), { code: 'ERR_TIPC_INVALID_ARGUMENT', message: /'carrier-pigeon' is already registered/ })
  // Every option of open() besides the transports' own: a new one fails the type check here until it is listed.
  const everyOption: Required<SelectionOptions> = { transport: 'auto', env: {}, registry: new TransportRegistry() }
  for (const kind of ['auto', ...Object.keys(everyOption)]) {
    t.throws(() => new TransportRegistry([{ ...pigeon, kind }]), { code: 'ERR_TIPC_INVALID_ARGUMENT', message: /cannot name a transport/ }, kind)
  }
  for (const kind of ['constructor', '__proto__', 'toString']) {
    t.throws(() => new TransportRegistry([{ ...pigeon, kind }]), { code: 'ERR_TIPC_INVALID_ARGUMENT', message: /a property of every object/ }, kind)
  }
  t.throws(() => new TransportRegistry([{ ...pigeon, kind: '' }]), { code: 'ERR_TIPC_INVALID_ARGUMENT' }, 'empty')
  t.throws(() => new TransportRegistry([{ ...pigeon, kind: 42 } as unknown as TransportFactory]), { code: 'ERR_TIPC_INVALID_ARGUMENT' }, 'not a string')
})

t.test('auto probes by priority, highest first, ties in registration order; no priority: never', async t => {
  const probed: string[] = []
  const candidate = (kind: string, autoPriority: number | undefined, available: boolean): TransportFactory => ({
    kind,
    ...(autoPriority === undefined ? {} : { autoPriority }),
    probe: () => {
      probed.push(kind)
      return available ? { available: true, detail: `${kind} ok` } : { available: false, reason: `no ${kind}` }
    },
    open: () => Promise.reject(new Error('not opened in this test')),
  })
  const registry = new TransportRegistry([
    candidate('low', 1, true), candidate('never', undefined, true), candidate('high', 50, false),
    candidate('tie-first', 10, false), candidate('tie-second', 10, true),
  ])
  t.same(registry.autoCandidates().map(f => f.kind), ['high', 'tie-first', 'tie-second', 'low'])
  const s = await selectTransport({ registry, env: {} })
  t.equal(s.kind, 'tie-second')
  t.same(probed, ['high', 'tie-first', 'tie-second'], 'stops at the first that works')
  t.match(s.reason, /; high is not available: no high; tie-first is not available: no tie-first$/)
  t.same(Object.keys(s.probes), ['high', 'tie-first', 'tie-second'])
})

t.test('auto with no candidate at all names every registered transport', async t => {
  const registry = new TransportRegistry([{ ...pigeon, kind: 'only-by-name' }])
  await t.rejects(selectTransport({ registry, env: {} }), {
    code: 'ERR_TIPC_NO_TRANSPORT', reasons: { 'only-by-name': 'not chosen by auto (ask for it by name)' },
  })
})

t.test('probeTransport never throws', async t => {
  t.match(await probeTransport('carrier-pigeon'), { available: true, detail: 'the loft is open' })
  t.match(await probeTransport('owl'), { available: false, code: 'ERR_TIPC_UNKNOWN_TRANSPORT', reason: /no owl transport is registered/ })
  const broken: TransportFactory = { ...pigeon, kind: 'broken', probe: () => { throw new Error('the probe itself broke') } }
  t.match(await probeTransport('broken', new TransportRegistry([broken])), {
    available: false, code: 'ERR_PROBE_FAILED', reason: 'probe failed: the probe itself broke',
  })
})
