// A stream's messages as an async iterator that pulls: decoded messages wait
// in a small queue until the loop asks for them; when `readAhead` of them
// wait, the connection is paused, so unconsumed messages hold the peer's
// sender back (flow control) instead of piling up here. Breaking out of the
// loop (return()) ends the connection.
import type { SeqpacketConnection } from '../transport-contract/index.js'
import type { StreamSink } from './stream-sink.js'

interface Waiter<T> {
  resolve: (r: IteratorResult<T>) => void
  reject: (err: unknown) => void
}

const DONE: IteratorResult<never> = { value: undefined, done: true }

export function pullIterator<T>(
  connection: SeqpacketConnection,
  readAhead: number,
  start: (sink: StreamSink<T>) => void,
  stop: () => void,
): AsyncIterator<T> {
  const queue: T[] = []
  let paused = false
  let ending: { err: Error | undefined } | undefined
  let waiter: Waiter<T> | undefined

  // Resume once the loop has taken half of what waited: not after each one,
  // so the peer sends in bursts rather than a message per pause.
  const take = (): IteratorResult<T> => {
    const value = queue.shift() as T
    if (paused && queue.length <= readAhead >> 1 && ending === undefined) {
      paused = false
      connection.resume()
    }
    return { value, done: false }
  }
  const settle = (w: Waiter<T>): void => {
    if (queue.length > 0) w.resolve(take())
    else if (ending?.err !== undefined) {
      const err = ending.err
      ending = { err: undefined } // told once; the loop is over after it
      w.reject(err)
    } else w.resolve(DONE)
  }
  const wake = (): void => {
    const w = waiter
    if (w === undefined || (queue.length === 0 && ending === undefined)) return
    waiter = undefined
    settle(w)
  }

  start({
    value(value) {
      queue.push(value)
      if (!paused && queue.length >= readAhead) {
        paused = true
        connection.pause()
      }
      wake()
    },
    end(err) {
      ending ??= { err }
      wake()
    },
    get stopped() {
      return false
    },
  })

  return {
    next: () => {
      if (queue.length > 0 || ending !== undefined) {
        return new Promise<IteratorResult<T>>((resolve, reject) => settle({ resolve, reject }))
      }
      return new Promise<IteratorResult<T>>((resolve, reject) => { waiter = { resolve, reject } })
    },
    return: () => {
      queue.length = 0
      ending ??= { err: undefined }
      stop()
      return Promise.resolve(DONE)
    },
  }
}
