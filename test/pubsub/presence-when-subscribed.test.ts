// whenSubscribed(n): resolves when n subscriber sockets are known (at once if
// they are), times out on the presence's clock with PresenceTimeoutError,
// rejects with the signal's reason on abort, with PresenceClosedError on close.
import t from 'tap'
import { PresenceClosedError, PresenceTimeoutError } from '../../core/pubsub/errors.js'
import { InvalidArgumentError } from '../../core/transport-contract/errors.js'
import { TYPES, watched } from './presence-env.js'

const whole = { type: TYPES.type, lower: 0, upper: 0xffffffff }

/** Whether a promise has settled by the next turn of the event loop. */
const state = (p: Promise<unknown>): Promise<string> =>
  Promise.race([p.then(() => 'resolved', () => 'rejected'), new Promise<string>(resolve => setImmediate(() => resolve('pending')))])

t.test('resolves when the n-th subscriber socket is known, not before', async t => {
  const { network, transports: [, b, c], presence } = watched(3)
  let resolved = false
  void presence.whenSubscribed(2).then(() => { resolved = true })
  b!.rdm().bind(whole)
  await network.settle()
  t.equal(resolved, false, 'one of two')
  b!.rdm().bind({ type: TYPES.type, instance: 1 })
  await network.settle()
  t.equal(resolved, true, 'two of two')
  c!.rdm().bind(whole)
  await network.settle()
  t.equal(await state(presence.whenSubscribed(3)), 'resolved', 'known already: resolves at once')
  t.equal(await state(presence.whenSubscribed(0)), 'resolved')
  t.equal(await state(presence.whenSubscribed(4)), 'pending')
})

t.test('a second binding of one socket does not count as a second subscriber', async t => {
  const { network, transports: [, b], presence } = watched()
  const sub = b!.rdm()
  sub.bind({ type: TYPES.type, instance: 1 })
  sub.bind({ type: TYPES.type, instance: 2 })
  await network.settle()
  await t.rejects(presence.whenSubscribed(2, { timeoutMs: 100 }), PresenceTimeoutError)
})

t.test('times out on the clock (virtual on memory) with PresenceTimeoutError', async t => {
  const { network, transports: [, b], presence } = watched()
  b!.rdm().bind(whole)
  const start = network.clock.now()
  const err = await presence.whenSubscribed(2, { timeoutMs: 5000 }).catch((e: unknown) => e)
  t.type(err, PresenceTimeoutError)
  t.match(err, { code: 'ERR_TIPC_PRESENCE_TIMEOUT', expected: 2, known: 1, timeoutMs: 5000 })
  t.equal(network.clock.now() - start, 5000, 'five virtual seconds')
})

t.test('a timeout that is not reached leaves no timer behind', async t => {
  const { network, transports: [, b], presence } = watched()
  const waiting = presence.whenSubscribed(1, { timeoutMs: 60_000 })
  b!.rdm().bind(whole)
  await waiting
  await network.settle()
  t.ok(network.clock.now() < 60_000, 'settled without running to the cancelled timeout')
})

t.test('abort: rejects with the signal\'s reason, before or while waiting', async t => {
  const { network, presence } = watched()
  const reason = new Error('no longer needed')
  await t.rejects(presence.whenSubscribed(1, { signal: AbortSignal.abort(reason) }), reason, 'aborted already')
  const controller = new AbortController()
  const waiting = presence.whenSubscribed(1, { signal: controller.signal, timeoutMs: 60_000 })
  controller.abort()
  const err = await waiting.catch((e: unknown) => e)
  t.equal((err as Error).name, 'AbortError', 'the default reason')
  await network.settle()
  t.ok(network.clock.now() < 60_000, 'its timeout was cancelled')
})

t.test('an abort after it resolved changes nothing', async t => {
  const { network, transports: [, b], presence } = watched()
  const controller = new AbortController()
  const signal = controller.signal
  let listeners = 0
  const add = signal.addEventListener.bind(signal)
  const remove = signal.removeEventListener.bind(signal)
  signal.addEventListener = (...args: Parameters<typeof add>) => { listeners++; add(...args) }
  signal.removeEventListener = (...args: Parameters<typeof remove>) => { listeners--; remove(...args) }
  const waiting = presence.whenSubscribed(1, { signal })
  t.equal(listeners, 1)
  b!.rdm().bind(whole)
  await network.settle()
  await waiting
  t.equal(listeners, 0, 'resolved: its abort listener was removed')
  controller.abort()
  t.equal(await state(waiting), 'resolved')
})

t.test('close(): pending promises reject with PresenceClosedError; later calls too', async t => {
  const { presence } = watched()
  const waiting = presence.whenSubscribed(1)
  presence.close()
  await t.rejects(waiting, PresenceClosedError)
  await t.rejects(presence.whenSubscribed(0), { code: 'ERR_TIPC_PRESENCE_CLOSED' })
})

t.test('bad arguments throw InvalidArgumentError', async t => {
  const { presence } = watched()
  for (const n of [-1, 1.5, Number.NaN]) t.throws(() => presence.whenSubscribed(n), InvalidArgumentError, String(n))
  t.throws(() => presence.whenSubscribed(1, { timeoutMs: -5 }), InvalidArgumentError)
})
