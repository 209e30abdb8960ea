// tail --from's value: earliest, a sequence number, an ISO-8601 time, or a
// time ago; anything else a UsageError (exit 2) that says what it takes.
import t from 'tap'
import { parseFrom } from '../../cli/from-option.js'
import { UsageError } from '../../cli/usage-error.js'

const now = Date.parse('2026-12-01T10:00:00Z')

t.test('what it takes', async t => {
  t.equal(parseFrom('earliest', now), 'earliest')
  t.same(parseFrom('42', now), { seq: 42 })
  t.same(parseFrom('2026-12-01T09:00:00Z', now), { time: now - 3_600_000 })
  t.same(parseFrom('2026-12-01T11:00:00.5+02:00', now), { time: now - 3_600_000 + 500 })
  t.same(parseFrom('-30s', now), { time: now - 30_000 })
  t.same(parseFrom('30s', now), { time: now - 30_000 }, 'with or without the minus sign: that long ago')
  t.same(parseFrom('5m', now), { time: now - 300_000 })
  t.same(parseFrom('1.5h', now), { time: now - 5_400_000 })
  t.same(parseFrom('2d', now), { time: now - 172_800_000 })
  t.same(parseFrom('250ms', now), { time: now - 250 })
})

t.test('what it refuses', async t => {
  for (const bad of ['', 'latest', '0', '-1', '9007199254740993', '5 m', '5w', '2026-12-01', '2026-13-01T00:00:00Z', 'yesterday']) {
    t.throws(() => parseFrom(bad, now), UsageError, `'${bad}'`)
  }
})
