// A connected pair of streams for the suite: a listener on node 1 (through
// its bus), a client on node 0 once the name is visible there, and the
// stream the listener accepted. Runs on every transport kind through the
// topic suite's harness (itself the conformance harness).
import type { Test } from 'tap'
import type { Subscription } from 'rxjs'
import type { MessageStream } from '../../../core/streams/message-stream.js'
import { listenRange } from '../../../core/streams/stream-name.js'
import type { StreamOptions } from '../../../core/streams/stream-options.js'
import { bindingsVisible, until } from '../../conformance/wait.js'
import type { TopicEnv } from '../../pubsub/suite/harness.js'

export interface StreamPair<S, C> {
  name: string
  client: MessageStream<C>
  server: MessageStream<S>
  listening: Subscription
}

export async function streamPair<S = unknown, C = S>(
  t: Test, env: TopicEnv, options: { server?: StreamOptions<S>; client?: StreamOptions<C> } = {},
): Promise<StreamPair<S, C>> {
  const name = env.topicName()
  const accepted: MessageStream<S>[] = []
  const listening = env.bus(1).listen<S>(name, options.server ?? {}).subscribe(s => accepted.push(s))
  await bindingsVisible(env.cluster.node(0), listenRange(name), 1)
  const client = await env.bus(0).connect<C>(name, options.client ?? {})
  const server = await until(() => accepted[0], 'the accepted stream')
  t.teardown(() => {
    listening.unsubscribe()
    client.close()
    server.close()
  })
  return { name, client, server, listening }
}

/** What an Observable consumer of a stream saw: its values, then how it ended. */
export interface Seen<T> {
  values: T[]
  end: { err: unknown } | undefined
}

export function watchStream<T>(stream: MessageStream<T>): Seen<T> {
  const seen: Seen<T> = { values: [], end: undefined }
  stream.subscribe({
    next: v => seen.values.push(v),
    error: err => { seen.end = { err } },
    complete: () => { seen.end = { err: undefined } },
  })
  return seen
}
