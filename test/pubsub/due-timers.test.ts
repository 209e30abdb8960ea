// DueTimers: many due times on one clock timer. Items fire in time order
// (ties in the order they were set), each once, out of the queue when fired;
// moving and removing items keeps the order; no clock timer is left once the
// queue is empty; an item whose fire throws does not lose the others.
import t from 'tap'
import { DueTimers, type DueItem } from '../../core/pubsub/due-timers.js'
import { ManualClock } from './manual-clock.js'

interface Item extends DueItem { name: string }
const item = (name: string): Item => ({ name, dueAt: Infinity, dueSlot: -1, dueOrder: 0 })

function rig(onFire: (i: Item) => void = () => undefined): { clock: ManualClock; timers: DueTimers<Item>; fired: Array<[string, number]> } {
  const clock = new ManualClock()
  const fired: Array<[string, number]> = []
  const timers = new DueTimers<Item>(clock, i => {
    fired.push([i.name, clock.now()])
    onFire(i)
  })
  return { clock, timers, fired }
}

t.test('items fire in time order, ties in the order they were set, on one clock timer', async t => {
  const { clock, timers, fired } = rig()
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item) as [Item, Item, Item, Item]
  timers.set(a, 30)
  timers.set(b, 10)
  timers.set(c, 30)
  timers.set(d, 20)
  t.equal(clock.pendingTimers, 1, 'one clock timer for four items')
  t.equal(timers.size, 4)
  clock.advance(25)
  t.same(fired, [['b', 10], ['d', 20]])
  t.notOk(timers.has(b), 'a fired item is out of the queue')
  clock.advance(100)
  t.same(fired.slice(2), [['a', 30], ['c', 30]])
  t.equal(timers.size, 0)
  t.equal(clock.pendingTimers, 0, 'no timer left once the queue is empty')
})

t.test('moving an item earlier or later re-orders it; removing the last cancels the clock timer', async t => {
  const { clock, timers, fired } = rig()
  const items = Array.from({ length: 50 }, (_, i) => item(`i${i}`))
  items.forEach((x, i) => timers.set(x, 1000 + i))
  timers.set(items[40]!, 5)
  timers.set(items[0]!, 2000)
  for (let i = 10; i < 20; i++) timers.remove(items[i]!)
  clock.advance(5000)
  const expected = ['i40', ...items.slice(1, 10), ...items.slice(20, 40), ...items.slice(41), items[0]!].map(x => typeof x === 'string' ? x : x.name)
  t.same(fired.map(([n]) => n), expected)
  t.equal(fired[0]![1], 5)
  const solo = item('solo')
  timers.set(solo, 9000)
  t.equal(clock.pendingTimers, 1)
  timers.remove(solo)
  timers.remove(solo)
  t.equal(clock.pendingTimers, 0, 'removed: the timer that would keep a process alive is gone')
  clock.advance(10_000)
  t.equal(fired.length, expected.length, 'a removed item never fires')
})

t.test('an item set again from its own fire waits for the next timer', async t => {
  let again = 0
  const { clock, timers, fired } = rig(i => {
    if (i.name === 'loop' && again++ < 2) timers.set(i, clock.now())
  })
  timers.set(item('loop'), 10)
  clock.advance(10)
  t.same(fired, [['loop', 10], ['loop', 10], ['loop', 10]], 'set for now: fired again at once, by a fresh timer')
  t.equal(timers.size, 0)
  t.equal(clock.pendingTimers, 0)
})

t.test('a fire that throws: the other items due with it still fire', async t => {
  const { clock, timers, fired } = rig(i => {
    if (i.name === 'bad') throw new Error('hook failed')
  })
  timers.set(item('bad'), 10)
  timers.set(item('good'), 10)
  t.throws(() => clock.advance(10), /hook failed/)
  clock.advance(1)
  t.same(fired.map(([n]) => n), ['bad', 'good'])
  t.equal(clock.pendingTimers, 0)
})
