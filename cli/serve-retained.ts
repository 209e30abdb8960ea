// `publish --retain N`: after its last message a retaining publisher stays up,
// so that `tail --from` has someone to replay from (retention lives in the
// publishing process and ends with it). Until Ctrl-C or SIGTERM (exit 0), or
// for --linger MS.
import type { Output } from './output.js'

export async function serveRetained(topic: string, retained: number, lingerMs: number | undefined, out: Output): Promise<void> {
  out.info(`tipc-rx: publish ${topic}: serving the last ${retained} messages to tail --from ${lingerMs === undefined ? 'until Ctrl-C' : `for ${lingerMs} ms`}`)
  await new Promise<void>(resolve => {
    const done = (): void => {
      clearTimeout(timer)
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      resolve()
    }
    const timer = lingerMs === undefined ? undefined : setTimeout(done, lingerMs)
    process.on('SIGINT', done)
    process.on('SIGTERM', done)
  })
}
