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

// The pen (an item due at least `pen` ms after it is set waits in a FIFO, and
// enters the heap `pen` ms later): what fires, and when, must not change.
t.test('with a pen: items far and near fire in time order, ties in set order; removed ones never', async t => {
  const clock = new ManualClock()
  const fired: Array<[string, number]> = []
  const timers = new DueTimers<Item>(clock, i => { fired.push([i.name, clock.now()]) }, 100)
  const far1 = item('far1'), far2 = item('far2'), near = item('near'), gone = item('gone'), tie = item('tie')
  timers.set(far1, 300)
  timers.set(gone, 150)
  timers.set(near, 50)
  clock.advance(20)
  timers.set(far2, 300)
  timers.set(tie, 300)
  t.equal(timers.size, 5)
  t.ok(timers.has(gone), 'a penned item is queued')
  timers.remove(gone)
  t.notOk(timers.has(gone))
  t.equal(timers.size, 4)
  t.equal(clock.pendingTimers, 1, 'still one clock timer')
  clock.advance(1000)
  t.same(fired, [['near', 50], ['far1', 300], ['far2', 300], ['tie', 300]])
  t.equal(timers.size, 0)
  t.equal(clock.pendingTimers, 0, 'no timer left')
  const last = item('last')
  timers.set(last, clock.now() + 500)
  timers.remove(last)
  t.equal(clock.pendingTimers, 0, 'a penned item removed: no timer keeps the process alive')
})

t.test('with a pen: moving a penned item, and seeded random schedules against a sorted list', async t => {
  for (let seed = 1; seed <= 200; seed++) {
    let x = seed
    const random = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32)
    const clock = new ManualClock()
    const fired: string[] = []
    const pen = 1 + Math.floor(random() * 50)
    const timers = new DueTimers<Item>(clock, i => { fired.push(i.name) }, pen)
    // The model: what is queued, with its due time and the order it was last set in.
    const model = new Map<Item, { at: number; order: number }>()
    const expected: string[] = []
    let order = 0
    // Every other seed with many items: the pen's ring then fills, wraps and grows (it starts at 64).
    const items = Array.from({ length: seed % 2 === 1 ? 400 : 30 }, (_, i) => item(`i${i}`))
    const fireModel = (until: number): void => {
      const due = [...model].filter(([, m]) => m.at <= until).sort(([, a], [, b]) => a.at - b.at || a.order - b.order)
      for (const [i] of due) { expected.push(i.name); model.delete(i) }
    }
    const many = seed % 2 === 1
    for (let step = 0; step < (many ? 1500 : 300); step++) {
      // With many items, time moves less often: more of them wait in the pen together.
      const r = many && random() < 0.8 ? random() * 0.7 : random()
      const it = items[Math.floor(random() * items.length)]!
      if (r < 0.5) {
        const at = clock.now() + Math.floor(random() * 120)
        timers.set(it, at)
        model.set(it, { at, order: order++ })
      } else if (r < 0.7) {
        timers.remove(it)
        model.delete(it)
      } else {
        // Advance in steps, as the clock fires timers one by one: the model fires at each step's end.
        const by = Math.floor(random() * 40)
        for (let k = 0; k < by; k++) {
          clock.advance(1)
          fireModel(clock.now())
        }
      }
      if (timers.size !== model.size) t.fail(`seed ${seed} step ${step}: size ${timers.size}, model ${model.size}`)
    }
    clock.advance(10_000)
    fireModel(Infinity)
    if (fired.join() !== expected.join()) t.same(fired, expected, `seed ${seed} (pen ${pen}): the same firings`)
    if (clock.pendingTimers !== 0) t.fail(`seed ${seed}: a timer is left`)
  }
  t.pass('200 seeded schedules fire as the sorted model does')
})
