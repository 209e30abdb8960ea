// The wall clock as the contract's Clock: what the topic layer uses on a
// transport that has no clock of its own (tipc, udp). Monotonic
// (performance.now, not Date.now, so a clock step cannot fire or starve a
// deadline), and its timers are ref'd: a pending ack deadline keeps the
// process alive as a pending send would, and the bus cancels its timers on close.
import { checkTimerDelay, type Clock, type Timer } from '../transport-contract/index.js'

/** setTimeout's largest delay (2^31 - 1 ms); a longer one fires at once, so it is armed in steps. */
const MAX_TIMEOUT_MS = 0x7fffffff

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms: number, fn: () => void): Timer {
    const due = performance.now() + checkTimerDelay(ms)
    let handle: ReturnType<typeof setTimeout>
    const arm = (wait: number): void => {
      handle = setTimeout(() => {
        const left = due - performance.now()
        // setTimeout may fire a little early by performance.now(); only a stepped delay re-arms.
        if (wait === MAX_TIMEOUT_MS && left > 0) arm(Math.min(left, MAX_TIMEOUT_MS))
        else fn()
      }, wait)
    }
    arm(Math.min(ms, MAX_TIMEOUT_MS))
    return { cancel: () => clearTimeout(handle) }
  },
}
