// What bench's processes say to each other. On the topic: data messages of
// the configured size, then one END per publisher (its first byte tells them
// apart). Over the IPC channel to the coordinating process: ready, progress,
// the result of each role, and stop. Times are absolute milliseconds
// (performance.timeOrigin + now) so the coordinator can line processes up.

export const DATA_TAG = 0
export const END_TAG = 1

export const clockMs = (): number => performance.timeOrigin + performance.now()

export interface PublisherResult {
  type: 'pub-result'
  msgs: number
  bytes: number
  /** First publish and last receipt. */
  startAt: number
  endAt: number
  /** Receipts whose ack condition did not hold, by what the missing targets came to. */
  notOk: number
  notOkBy: Record<string, number>
  /** Publishes that failed outright (no receipt), and the first error. */
  failed: number
  firstError: string | undefined
  /** publish() to receipt of every message, in microseconds. */
  latenciesUs: Float64Array
}

export interface SubscriberResult {
  type: 'sub-result'
  msgs: number
  bytes: number
  /** First and last data delivery. */
  firstAt: number
  lastAt: number
  /** Holes in a publisher's stream the subscriber was told of. */
  gaps: number
}

export type BenchReport =
  | { type: 'ready' }
  | { type: 'progress'; settled: number }
  | PublisherResult
  | SubscriberResult

export const isReport = <K extends BenchReport['type']>(type: K) =>
  (message: unknown): Extract<BenchReport, { type: K }> | undefined =>
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type
      ? message as Extract<BenchReport, { type: K }>
      : undefined

/** From the coordinator to a subscriber: every publisher has its receipts; close and exit. */
export const STOP = { type: 'stop' } as const
