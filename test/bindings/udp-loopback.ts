// What the native UDP socket's tests share: destinations on 127.0.0.1 for
// sendBatch, and a wait for a receiver's datagrams to arrive.

export const LOOPBACK = 0x7f000001

/** sendBatch's destinations: `count` packets to 127.0.0.1:`port`. */
export function to(port: number, count: number): Uint32Array {
  const d = new Uint32Array(2 * count)
  for (let i = 0; i < count; i++) {
    d[2 * i] = LOOPBACK
    d[2 * i + 1] = port
  }
  return d
}

/**
 * A wait on a receiver's count: `until(n)` resolves once `count()` reaches n
 * (call `arrived()` whenever it may have), or rejects after 5 s.
 */
export function arrivals(count: () => number) {
  let wanted = Infinity
  let done: () => void = () => {}
  const arrived = (): void => {
    if (count() >= wanted) done()
  }
  const until = (n: number): Promise<void> => new Promise<void>((resolve, reject) => {
    wanted = n
    done = resolve
    if (count() >= n) resolve()
    setTimeout(() => reject(new Error(`only ${count()} of ${n} datagrams arrived`)), 5000).unref()
  })
  return { arrived, until }
}
