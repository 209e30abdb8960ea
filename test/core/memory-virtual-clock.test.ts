// The memory network's virtual clock (1 tick = 1 ms): timers fire in order
// on the same ticks as packets, time jumps over ticks where nothing is ready,
// a cancelled timer neither fires nor keeps settle() waiting.
import t from 'tap'
import { InvalidArgumentError } from '../../core/transport-contract/errors.js'
import { MemoryNetwork } from '../../core/transports/memory/index.js'
import { Scheduler } from '../../core/transports/memory/scheduler.js'
import { numbered, numberOf } from './memory-env.js'

t.test('timers fire in order of due time, equal delays in the order they were set', async t => {
  const network = new MemoryNetwork()
  const clock = network.open().clock
  const fired: Array<[string, number]> = []
  const at = (name: string) => () => fired.push([name, clock.now()])
  clock.setTimer(30, at('c'))
  clock.setTimer(10, at('a1'))
  clock.setTimer(20, at('b'))
  clock.setTimer(10, at('a2'))
  clock.setTimer(0, at('zero'))
  clock.setTimer(2.5, at('fraction'))
  t.same(fired, [], 'nothing fires within the caller\'s stack')
  await network.settle()
  t.same(fired, [['zero', 1], ['fraction', 3], ['a1', 10], ['a2', 10], ['b', 20], ['c', 30]])
})

t.test('every transport of a network shares its clock', async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  t.equal(a.clock, network.clock)
  t.equal(b.clock, network.clock)
  t.equal(a.clock.now(), 0)
})

t.test('timers and packets share the ticks: a timer fires between the hops it falls between', async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  const clock = network.clock
  const log: string[] = []
  const [ping, pong] = [a.rdm(), b.rdm()]
  // Each message is sent back with its number + 1 until 8: one hop per tick.
  for (const [socket, other] of [[ping, pong], [pong, ping]] as const) {
    socket.onMessages(batch => {
      for (const m of batch) {
        const n = numberOf(m)
        log.push(`hop ${n} @${clock.now()}`)
        if (n < 8) socket.send(other.address, numbered(n + 1))
      }
    })
  }
  clock.setTimer(4, () => log.push(`timer @${clock.now()}`))
  ping.send(pong.address, numbered(1))
  await network.settle()
  t.same(log, ['hop 1 @1', 'hop 2 @2', 'hop 3 @3', 'timer @4', 'hop 4 @4', 'hop 5 @5', 'hop 6 @6', 'hop 7 @7', 'hop 8 @8'],
    'the timer runs with its tick\'s events, before the tick hands messages over')
})

t.test('idle: time jumps straight to the next due timer (one pump, not one per tick)', async t => {
  let pumps = 0
  const scheduler = new Scheduler(() => pumps++, () => false)
  const fired: number[] = []
  scheduler.after(5000, () => fired.push(scheduler.clock))
  scheduler.after(2000, () => {
    fired.push(scheduler.clock)
    scheduler.after(1, () => fired.push(scheduler.clock))
  })
  await scheduler.settle()
  t.same(fired, [2000, 2001, 5000])
  t.equal(pumps, 3, 'one pump per tick that had something to run')
})

t.test('no jump while a handler has messages to take: delivery keeps its tick', async t => {
  let work = 3
  let pumps = 0
  const scheduler = new Scheduler(() => { pumps++; if (work > 0) work-- }, () => work > 0)
  let firedAt = -1
  scheduler.after(100, () => { firedAt = scheduler.clock })
  scheduler.wake()
  await scheduler.settle()
  t.equal(firedAt, 100)
  t.equal(pumps, 4, 'three ticks hand work over one tick at a time, then one jump to the timer')
})

t.test('a cancelled timer does not fire, and settle() does not wait for it', async t => {
  const network = new MemoryNetwork()
  const clock = network.clock
  let fired = 0
  const timer = clock.setTimer(10_000, () => fired++)
  const kept = clock.setTimer(5, () => fired++)
  timer.cancel()
  timer.cancel()
  await network.settle()
  t.equal(fired, 1, 'only the timer left set fired')
  t.equal(clock.now(), 5, 'time did not run on to the cancelled timer')
  kept.cancel()
  t.equal(fired, 1, 'cancelling a timer that fired is harmless')
})

t.test('a network with only a cancelled timer is settled at once', async t => {
  const network = new MemoryNetwork()
  network.clock.setTimer(60_000, () => t.fail('cancelled timer fired')).cancel()
  await network.settle()
  t.equal(network.clock.now(), 1, 'the pump that setting it started ran one tick, and time stopped there')
})

t.test('settle() waits for a timer still set (virtual time runs to it)', async t => {
  const network = new MemoryNetwork()
  let fired = false
  network.clock.setTimer(60_000, () => { fired = true })
  await network.settle()
  t.equal(fired, true)
  t.equal(network.clock.now(), 60_000)
})

t.test('many cancelled timers behind live ones: the live ones fire in order', async t => {
  const network = new MemoryNetwork()
  const clock = network.clock
  const fired: number[] = []
  const timers = Array.from({ length: 300 }, (_, i) => clock.setTimer(1000 - i, () => fired.push(1000 - i)))
  timers.forEach((timer, i) => { if (i % 4 !== 0) timer.cancel() })
  await network.settle()
  const expected = Array.from({ length: 75 }, (_, k) => 1000 - 4 * k).reverse()
  t.same(fired, expected)
})

t.test('a delay that is not a finite number >= 0 is refused', async t => {
  const clock = new MemoryNetwork().clock
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
    t.throws(() => clock.setTimer(bad, () => {}), InvalidArgumentError, String(bad))
  }
})
