// `tipc-rx demo`: three subscriber processes and a publisher (this process),
// on whatever transport the global options choose (auto: kernel TIPC where
// it works, else udp on loopback, with nothing to configure). The publisher
// publishes ten messages a second with ack 'all' and shows acks arriving;
// after a few seconds it kills one subscriber with SIGKILL and shows what it
// is told about that subscriber (returned NO_NODE or NO_PORT, left, timed
// out: named with node and socket), until presence has seen it leave and new
// messages expect only the other two; then it stops the others, closes and
// prints a summary. About 10 s; no process is left behind.
import { randomInt } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Outcome, PresenceEvent, SocketAddress, SubscriberEvent } from '../../core/index.js'
import { ChildRoleError, ChildRoles, messageFrom, type RoleChild } from '../child-roles.js'
import { openCliBus, type GlobalArgs } from '../global-options.js'
import type { Output } from '../output.js'
import { ownCluster } from '../own-cluster.js'
import { isDemoReport, type DemoValue } from './demo-messages.js'
import { DemoTally, nodeText, outcomeName, outcomeWhy, socketText, type DemoSubscriberState } from './demo-tally.js'

const SUBSCRIBERS = 3
/** Which one is killed: the middle one, sub-2. */
const VICTIM = 1
const PUBLISH_EVERY_MS = 100
const KILL_AFTER_MS = 3000
/** How long messages keep flowing once presence has seen the victim leave: they show the publisher expects only the others. */
const AFTER_LEAVE_MS = 2000
/** If presence never reports the victim gone (it should within the link tolerance), the demo ends anyway. */
const LEAVE_WAIT_MS = 15_000
const ACK_TIMEOUT_MS = 3000
const JOIN_TIMEOUT_MS = 20_000

export async function runDemo(args: GlobalArgs, out: Output): Promise<number> {
  const own = await ownCluster(args, 'demo')
  const topicName = `demo.${process.pid}.${randomInt(1 << 30)}`
  const bus = await openCliBus(own.args)
  const roles = new ChildRoles()
  const t0 = performance.now()
  const say = (line: string): void => out.data(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(4)} s] ${line}`)
  try {
    const where = own.kind === 'udp' ? `udp on loopback, cluster ${String(own.args.cluster)}` : own.kind
    say(`tipc-rx demo: topic ${topicName} on ${where}; this process publishes with ack 'all' (timeout ${ACK_TIMEOUT_MS / 1000} s) to ${SUBSCRIBERS} subscriber processes`)
    const topic = bus.topic<DemoValue>(topicName)
    const tally = new DemoTally()
    const joins: SubscriberEvent[] = []
    let joined: (() => void) | undefined
    let victimLeftAt: number | undefined
    const presence = topic.subscribers$().subscribe((e: PresenceEvent) => {
      if (e.kind === 'joined') {
        joins.push(e)
        joined?.()
      } else if (e.kind === 'left') {
        const s = tally.byTarget(`s:${e.subscriber.node}:${e.subscriber.ref}`)
        if (s === undefined) return
        say(`presence: ${s.name} (socket ${socketText(s.socket)}) left: its binding is gone, new messages no longer expect it`)
        if (s === tally.subscribers[VICTIM]) victimLeftAt = performance.now()
      }
    })

    // Which socket is which process: where each process is a node of its
    // own (udp), by the node it reports; where they share the host's node
    // (kernel TIPC), by starting them one at a time. The first one tells.
    const children: RoleChild[] = []
    const waitForJoin = (): Promise<void> => new Promise<void>(resolve => { joined = resolve })
    const start = (i: number): { child: RoleChild; hello: Promise<{ node: number; pid: number }> } => {
      const child = roles.start(`sub-${i + 1}`, ['demo', 'subscriber', '--topic', topicName, ...own.childArgs])
      children[i] = child
      const hello = messageFrom(child, isDemoReport('subscribed'), 'it subscribed', JOIN_TIMEOUT_MS)
      // Awaited in turn by identify(); a later one failing first is not unhandled meanwhile.
      hello.catch(() => undefined)
      return { child, hello }
    }
    const identify = async (started: ReturnType<typeof start>, byNode: boolean): Promise<void> => {
      const hello = await started.hello
      const socket = await nextJoin(joins, waitForJoin, started.child.name, byNode ? hello.node : undefined)
      tally.add({ name: started.child.name, socket, pid: hello.pid })
      say(`${started.child.name} subscribed: pid ${hello.pid}, node ${nodeText(hello.node)}, socket ${socketText(socket)}`)
    }
    const first = start(0)
    const ownNodes = (await first.hello).node !== bus.transport.node
    await identify(first, ownNodes)
    if (ownNodes) {
      const rest = Array.from({ length: SUBSCRIBERS - 1 }, (_, i) => start(i + 1))
      for (const started of rest) await identify(started, true)
    } else {
      for (let i = 1; i < SUBSCRIBERS; i++) await identify(start(i), false)
    }
    await topic.whenSubscribed(SUBSCRIBERS, { timeoutMs: JOIN_TIMEOUT_MS })

    const victim = tally.subscribers[VICTIM] as DemoSubscriberState
    const victimChild = children[VICTIM] as RoleChild
    let killedAt: number | undefined
    const pending: Array<Promise<void>> = []
    const onOutcome = (o: Outcome, n: number): void => {
      const { subscriber, first } = tally.outcome(o)
      if (subscriber === undefined || !first) return
      const after = killedAt === undefined ? '' : ` (${((performance.now() - killedAt) / 1000).toFixed(2)} s after the kill)`
      say(`publisher told, message ${n}: ${subscriber.name} (node ${nodeText(subscriber.socket.node)}, socket ${socketText(subscriber.socket)}) ` +
        `${outcomeName(o)}: ${outcomeWhy(o, ACK_TIMEOUT_MS)}${after}`)
    }
    const publishOne = (n: number): Promise<void> => new Promise<void>(resolve => {
      const afterLeave = victimLeftAt !== undefined
      topic.publish$({ n, at: Date.now() }, { ack: 'all', timeoutMs: ACK_TIMEOUT_MS }).subscribe({
        next: e => {
          if (e.type === 'outcome') onOutcome(e.outcome, n)
          else tally.receipt(e.receipt, afterLeave, victim)
        },
        error: (err: unknown) => {
          say(`message ${n} failed: ${err instanceof Error ? err.message : String(err)}`)
          resolve()
        },
        complete: resolve,
      })
    })

    const live = setInterval(() => {
      say(`published ${tally.published}, receipts ok ${tally.ok}/${tally.receipts}; acked by ${tally.ackLine()}`)
    }, 1000)
    try {
      const publishUntil = (done: () => boolean): Promise<void> => (async () => {
        while (!done()) {
          pending.push(publishOne(tally.published++))
          await sleep(PUBLISH_EVERY_MS)
        }
      })()
      const startedAt = performance.now()
      await publishUntil(() => performance.now() - startedAt >= KILL_AFTER_MS)
      say(`killing ${victim.name} (pid ${victim.pid}, socket ${socketText(victim.socket)}) with SIGKILL: it cannot say goodbye`)
      killedAt = performance.now()
      victimChild.process.kill('SIGKILL')
      await publishUntil(() => {
        const now = performance.now()
        return victimLeftAt !== undefined ? now - victimLeftAt >= AFTER_LEAVE_MS : now - (killedAt as number) >= LEAVE_WAIT_MS
      })
      await Promise.all(pending)
    } finally {
      clearInterval(live)
    }
    say(`published ${tally.published}, receipts ok ${tally.ok}/${tally.receipts}; acked by ${tally.ackLine()}`)

    presence.unsubscribe()
    const survivors = children.filter((_, i) => i !== VICTIM)
    for (const c of survivors) c.process.send({ type: 'stop' })
    const processed = await Promise.all(survivors.map(c => messageFrom(c, isDemoReport('stopped'), 'it stopped', JOIN_TIMEOUT_MS)))
    await roles.dispose()
    return summary(tally, victim, victimLeftAt, killedAt, processed.map(p => p.processed), out)
  } finally {
    roles.killAll('SIGKILL')
    await roles.dispose()
    await bus.close()
  }
}

/** The socket of the next subscriber to join (of `node`, when given), waiting for presence to report it. */
async function nextJoin(joins: SubscriberEvent[], wait: () => Promise<void>, name: string, node: number | undefined): Promise<SocketAddress> {
  const deadline = performance.now() + JOIN_TIMEOUT_MS
  for (;;) {
    const at = joins.findIndex(e => node === undefined || e.node === node)
    if (at >= 0) return (joins.splice(at, 1)[0] as SubscriberEvent).subscriber
    if (performance.now() > deadline) throw new ChildRoleError(`presence never reported ${name} joining the topic`)
    await Promise.race([wait(), sleep(100)])
  }
}

function summary(tally: DemoTally, victim: DemoSubscriberState, leftAt: number | undefined, killedAt: number | undefined, processed: number[], out: Output): number {
  out.data('')
  out.data(`summary: ${tally.published} messages published with ack 'all'; ${tally.ok} receipts ok, ${tally.receipts - tally.ok} not ok`)
  let i = 0
  for (const s of tally.subscribers) {
    const bad = tally.notAckedText(s)
    if (s === victim) {
      out.data(`  ${s.name} (socket ${socketText(s.socket)}): acked ${s.acked}, then killed; the publisher was told: ${bad || 'nothing else (it was idle when it died)'}`)
    } else {
      out.data(`  ${s.name} (socket ${socketText(s.socket)}): acked ${s.acked}${bad ? `, ${bad}` : ''}; processed ${processed[i++] ?? '?'}`)
    }
  }
  if (leftAt !== undefined && killedAt !== undefined) {
    out.data(`  presence saw ${victim.name} leave ${((leftAt - killedAt) / 1000).toFixed(2)} s after the kill; ` +
      `${tally.afterLeave.receipts} messages published after that expected only the others (${tally.afterLeave.withoutVictim}), ${tally.afterLeave.ok} ok`)
  } else {
    out.data(`  presence did not report ${victim.name} gone within ${LEAVE_WAIT_MS / 1000} s of the kill`)
  }
  const survivorsAckedAll = tally.subscribers.every(s => s === victim || s.acked === tally.published)
  const told = victim.notAcked.size > 0 || leftAt !== undefined
  if (!survivorsAckedAll) out.data('  the surviving subscribers did not ack every message: that is a fault, not part of the demo')
  return survivorsAckedAll && told ? 0 : 1
}
