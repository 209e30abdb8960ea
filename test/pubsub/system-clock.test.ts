// The wall clock the topic layer uses on tipc and udp: monotonic time,
// timers that fire after their delay, cancel, refuse a bad delay, and a delay
// beyond setTimeout's 2^31-1 ms armed in steps rather than fired at once.
import t from 'tap'
import { systemClock } from '../../core/pubsub/clock.js'
import { InvalidArgumentError } from '../../core/transport-contract/errors.js'

t.test('now() is performance.now(): monotonic milliseconds', async t => {
  const a = systemClock.now()
  const b = performance.now()
  const c = systemClock.now()
  t.ok(a <= b && b <= c)
})

t.test('a timer fires once after its delay', async t => {
  const start = systemClock.now()
  const firedAt = await new Promise<number>(resolve => systemClock.setTimer(20, () => resolve(systemClock.now())))
  t.ok(firedAt - start >= 19, `fired after ${firedAt - start} ms`)
})

t.test('a cancelled timer does not fire; cancel is idempotent', async t => {
  let fired = false
  const timer = systemClock.setTimer(5, () => { fired = true })
  timer.cancel()
  timer.cancel()
  await new Promise(resolve => setTimeout(resolve, 30))
  t.equal(fired, false)
})

t.test('a delay that is not a finite number >= 0 is refused', async t => {
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.throws(() => systemClock.setTimer(bad, () => {}), InvalidArgumentError, String(bad))
  }
})

t.test('a delay beyond 2^31-1 ms is armed in steps, and fires only at its end', async t => {
  // Fake setTimeout/clearTimeout and performance.now: each fake timer "fires" by advancing fake time.
  let now = 0
  const armed: Array<{ wait: number; fn: () => void; cleared: boolean }> = []
  const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, now: performance.now.bind(performance) }
  globalThis.setTimeout = ((fn: () => void, wait: number) => {
    const timer = { wait, fn, cleared: false }
    armed.push(timer)
    return timer
  }) as unknown as typeof setTimeout
  globalThis.clearTimeout = ((timer: { cleared: boolean }) => { timer.cleared = true }) as unknown as typeof clearTimeout
  performance.now = () => now
  t.teardown(() => {
    globalThis.setTimeout = real.setTimeout
    globalThis.clearTimeout = real.clearTimeout
    performance.now = real.now
  })
  const max = 0x7fffffff
  let fired = 0
  const fire = () => {
    const timer = armed.at(-1)!
    now += timer.wait
    timer.fn()
  }
  systemClock.setTimer(2 * max + 10, () => fired++)
  t.same(armed.map(a => a.wait), [max])
  fire()
  t.same(armed.map(a => a.wait), [max, max], 'still 2^31-1 + 10 ms to go: another full step')
  fire()
  t.same(armed.map(a => a.wait), [max, max, 10], 'then the rest')
  t.equal(fired, 0)
  fire()
  t.equal(fired, 1)

  const cancelled = systemClock.setTimer(max + 1, () => fired++)
  fire()
  cancelled.cancel()
  t.equal(armed.at(-1)!.cleared, true, 'cancel clears the step armed now')
})
