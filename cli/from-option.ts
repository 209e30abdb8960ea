// `tail --from earliest|SEQ|TIME`: where a replay starts (docs/replay.md).
// SEQ is a positive integer; TIME is an ISO-8601 date-time (2026-12-01T10:00:00Z)
// or a time relative to now: -30s, 5m, 2h, 1d, 500ms (with or without the
// minus sign: it always means that long ago). Anything else is a UsageError.
import type { ReplayFrom } from '../core/index.js'
import { UsageError } from './usage-error.js'

const RELATIVE = /^-?(\d+(?:\.\d+)?)(ms|s|m|h|d)$/
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

export function parseFrom(text: string, now = Date.now()): ReplayFrom {
  if (text === 'earliest') return 'earliest'
  if (/^\d+$/.test(text)) {
    const seq = Number(text)
    if (!Number.isSafeInteger(seq) || seq < 1) throw new UsageError(`--from: a sequence number is an integer from 1 to 2^53-1, got ${text}`)
    return { seq }
  }
  const relative = RELATIVE.exec(text)
  if (relative !== null) {
    const ms = Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]
    return { time: Math.max(0, Math.round(now - ms)) }
  }
  if (ISO_DATE_TIME.test(text)) {
    const ms = Date.parse(text)
    if (Number.isFinite(ms) && ms >= 0) return { time: ms }
  }
  throw new UsageError(`--from takes earliest, a sequence number, an ISO-8601 time (2026-12-01T10:00:00Z) or a time ago (-30s, 5m, 2h), got '${text}'`)
}
