// How long an ack takes to come back, learned from the acks themselves, so
// that resends wait about as long as an answer really takes (RFC 6298's
// smoothed round trip and its variation, as TCP does). A fixed first resend
// at 200 ms resends most of what is in flight whenever acks take longer (a
// busy host, a subscriber whose handler is slow, a lossy link that TIPC is
// already repairing): copies that were never lost, and a storm that fills
// the subscriber's queue. Only answers to a first copy are samples (Karn's
// rule): an ack after a resend cannot say which copy it answers.

export class RttEstimator {
  private srtt: number | undefined
  private rttvar = 0
  /** Samples taken. */
  samples = 0

  constructor(private readonly minMs: number, private readonly maxMs: number) {}

  /** One round trip, in ms: a first copy's departure to its ack. */
  sample(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return
    this.samples++
    if (this.srtt === undefined) {
      this.srtt = ms
      this.rttvar = ms / 2
      return
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - ms)
    this.srtt = 0.875 * this.srtt + 0.125 * ms
  }

  /** The first resend's wait, from what was learned (undefined before any sample). */
  get rto(): number | undefined {
    if (this.srtt === undefined) return undefined
    return Math.min(this.maxMs, Math.max(this.minMs, this.srtt + 4 * this.rttvar))
  }
}
