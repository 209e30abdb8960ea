// One link under test for the link-fault scenarios (issue 8): a sending node
// in this process and a receiving node in fixtures/stream-receiver.ts, each
// with its own binding and its own view of the bindings, on a cluster id of
// their own (other tests' nodes on this host ignore them). Opened when both
// views agree; measured from outside only: the sender's ledger, the
// receiver's tally, both views, both nodes' stats.
import { randomInt } from 'node:crypto'
import { UdpTransport, type DropStats, type UdpRdmSocket, type UdpStats, type UdpTransportOptions } from '../../core/index.js'
import { BindingView, bindingKey, viewsAgree, type ViewSnapshot } from './binding-view.js'
import { PacketRelay } from './packet-relay.js'
import { SenderLedger, type ReceiverTally } from './stream-ledger.js'
import type { ReceiverProcess } from './stream-receiver-process.js'

/** A short tolerance and heartbeat keep the scenarios quick; beacons often enough to find a peer again well within a second. */
export const TIMING = { toleranceMs: 800, heartbeatMs: 100, beaconMs: 200 } as const
export const STREAM_LENGTH = 20_000
const KEY = 'issue-8 link-fault scenarios, a pre-shared key'
/** Late deliveries and returns (retransmissions of a reset link) get this long after the accounting balances. */
const SETTLE_MS = 300
/** A drain that still makes progress stops after this, however slow the machine. */
const DRAIN_MAX_MS = 30_000
const LINK_UP_WITHIN_MS = 10_000

export interface LinkRunOptions {
  key: boolean
  /** Put a PacketRelay between the nodes (discovery off, the sender's only peer is the relay). */
  relay: boolean
}

/** Both nodes' stats at one moment. */
export interface StatsPair {
  sender: UdpStats
  receiver: UdpStats
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export class LinkRun {
  readonly type: number
  readonly sender: UdpTransport
  readonly tx: UdpRdmSocket
  readonly ledger = new SenderLedger(STREAM_LENGTH)
  readonly relay: PacketRelay | undefined
  private readonly receiver: ReceiverProcess
  private readonly view: BindingView
  private readonly expected: string[]
  private readonly nodes: [number, number]
  private lastDeliveries = 0

  private constructor(receiver: ReceiverProcess, type: number, sender: UdpTransport, receiverNode: number, receiverBinding: string, relay: PacketRelay | undefined) {
    this.receiver = receiver
    this.type = type
    this.sender = sender
    this.relay = relay
    this.tx = sender.rdm()
    this.tx.bind({ type, lower: 1, upper: 1 })
    this.tx.onMessages(batch => {
      for (const m of batch) {
        const r = m.returned
        if (!r) continue
        this.ledger.returned(r.data.byteLength >= 4 ? new DataView(r.data.buffer, r.data.byteOffset, r.data.byteLength).getUint32(0) : Infinity, r.code)
      }
    })
    this.view = new BindingView(sender, { type, lower: 0, upper: 1 })
    this.expected = [bindingKey(this.tx.address, { type, lower: 1, upper: 1 }), receiverBinding]
    this.nodes = [sender.node, receiverNode]
  }

  /** Open both nodes and wait until their views agree (the link is up both ways and the bindings exchanged). */
  static async open(receiver: ReceiverProcess, o: LinkRunOptions): Promise<LinkRun> {
    const type = 0x4000_0000 + randomInt(0, 0xffff)
    const base: UdpTransportOptions = { cluster: randomInt(1, 0x7fffffff), ...TIMING, ...(o.key ? { key: KEY } : {}) }
    const r = await receiver.call('open', { options: o.relay ? { ...base, discovery: false } : base, type, length: STREAM_LENGTH })
    const relay = o.relay ? await PacketRelay.open(r.port as number) : undefined
    let sender: UdpTransport
    try {
      sender = await UdpTransport.open(relay ? { ...base, discovery: false, peers: [{ address: '127.0.0.1', port: relay.senderFacingPort }] } : base)
    } catch (err) {
      relay?.close()
      throw err
    }
    const address = r.address as { node: number; ref: number }
    const run = new LinkRun(receiver, type, sender, r.node as number, bindingKey(address, { type, lower: 0, upper: 0 }), relay)
    if ((await run.agreement(performance.now(), LINK_UP_WITHIN_MS)) === undefined) {
      const views = JSON.stringify({ sender: run.view.snapshot(), receiver: await receiver.call('view') })
      await run.close()
      throw new Error(`the link did not come up within ${LINK_UP_WITHIN_MS} ms: ${views}`)
    }
    return run
  }

  /** Whether the two views agree now. */
  async agreeNow(): Promise<boolean> {
    const theirs = (await this.receiver.call('view')) as unknown as ViewSnapshot
    return viewsAgree(this.view.snapshot(), theirs, this.expected, this.nodes)
  }

  /** Ms from `since` until both views agree, looking until lookMs after `since`; undefined if they never did. */
  async agreement(since: number, lookMs: number): Promise<number | undefined> {
    for (;;) {
      if (await this.agreeNow()) return performance.now() - since
      if (performance.now() - since > lookMs) return undefined
      await sleep(20)
    }
  }

  async tally(): Promise<ReceiverTally> {
    const a = await this.receiver.call('account')
    return { counts: new Uint8Array(Buffer.from(a.counts as string, 'base64')), outOfOrder: a.outOfOrder as number, beyond: a.beyond as number }
  }

  /** The receiver's deliveries so far (the last known count while it is stopped). */
  async progress(): Promise<number> {
    if (!this.receiver.stopped) this.lastDeliveries = (await this.receiver.call('progress')).deliveries as number
    return this.lastDeliveries
  }

  /**
   * Wait until every taken message is delivered or returned, or until that
   * has stopped changing for quietMs (a slow link is given its time, a
   * stuck one is not; at most DRAIN_MAX_MS); then a little longer for stragglers.
   */
  async drain(quietMs: number): Promise<ReceiverTally> {
    const start = performance.now()
    let left = this.ledger.unaccounted((await this.tally()).counts)
    let changed = start
    while (left > 0 && performance.now() - changed < quietMs && performance.now() - start < DRAIN_MAX_MS) {
      await sleep(100)
      const now = this.ledger.unaccounted((await this.tally()).counts)
      if (now !== left) changed = performance.now()
      left = now
    }
    await sleep(SETTLE_MS)
    return this.tally()
  }

  async stats(): Promise<StatsPair> {
    return { sender: this.sender.stats(), receiver: (await this.receiver.call('stats')).stats as UdpStats }
  }

  async close(): Promise<void> {
    this.view.cancel()
    this.relay?.close()
    await this.sender.close()
    if (this.receiver.alive && !this.receiver.stopped) await this.receiver.call('close')
  }
}

/** Drop counters that grew from `before` to `after`, by reason; otherCluster is left out (other tests' beacons on the shared group). */
export function dropsGrown(before: DropStats, after: DropStats): Partial<DropStats> {
  const grown: Partial<DropStats> = {}
  for (const reason of Object.keys(after) as Array<keyof DropStats>) {
    if (reason === 'otherCluster') continue
    const d = after[reason] - before[reason]
    if (d !== 0) grown[reason] = d
  }
  return grown
}
