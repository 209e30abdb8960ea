// `publish --wait-subscribers N`: wait until N targets are known, counted as
// a receipt counts them: each subscriber socket, and each queue group as one
// (topic.whenSubscribed counts sockets only, so a topic consumed by a queue
// group alone would never satisfy it). Presence events are the public
// source of both.
import type { PresenceEvent, Topic } from '../core/index.js'

/** Resolves true once `n` targets are known, false after `timeoutMs` (with how many were). */
export function waitForTargets(topic: Topic<unknown>, n: number, timeoutMs: number): Promise<{ ok: boolean; known: number }> {
  return new Promise(resolve => {
    const targets = new Set<string>()
    let done = false
    const finish = (ok: boolean): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      // Deferred: the first events arrive while subscribe() is still running.
      queueMicrotask(() => watching.unsubscribe())
      resolve({ ok, known: targets.size })
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    const watching = topic.subscribers$().subscribe((e: PresenceEvent) => {
      if (e.kind === 'joined') targets.add(`s:${e.subscriber.node}:${e.subscriber.ref}`)
      else if (e.kind === 'left') targets.delete(`s:${e.subscriber.node}:${e.subscriber.ref}`)
      else if (e.kind === 'group-joined') targets.add(`g:${e.group}`)
      else if (e.kind === 'group-left') targets.delete(`g:${e.group}`)
      if (targets.size >= n) finish(true)
    })
  })
}
