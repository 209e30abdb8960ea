// Returned multicast copies, by the kernel's rules (kernel 6.1, measured:
// test/kernel/cluster-mcast-returns-*.test.ts): a copy rejected on the
// sender's own node comes back to the sender; one rejected on another node
// comes back to the sender's node by name, to every socket there with a
// cluster-scope binding overlapping the range (one copy each), the sender
// only if it is so bound. Anycast returns go to the sender wherever the
// rejection happened. A rejection is OVERLOAD (a full receive queue) or
// NO_PORT (closed with the copy unread).
import type { Test } from 'tap'
import type { ServiceRange, SocketAddress } from '../../core/transport-contract/address.js'
import type { RdmSocket } from '../../core/transport-contract/rdm-socket.js'
import type { Transport } from '../../core/transport-contract/transport.js'
import { conformance, uniqueType, type Cluster } from './harness.js'
import { bindingsVisible, inbox, str, text, until, type Inbox } from './wait.js'

type RejectCode = 'OVERLOAD' | 'NO_PORT'
const CODES: readonly RejectCode[] = ['OVERLOAD', 'NO_PORT']
/** Messages per round: every one of them is rejected. */
const SENT = 5
/** Over the 1024 bytes a returned message keeps, so the cut shows. */
const SIZE = 1500

const payload = (i: number) => `m${i}`.padEnd(SIZE, '.')
/** What every returned copy of a round carries, in order. */
const cutPayloads = () => Array.from({ length: SENT }, (_, i) => payload(i).slice(0, 1024))

/**
 * A socket on node `at`, bound to `range`, that rejects every copy sent to
 * it, and a reading socket beside it bound to the same range: when the
 * reader has a copy, the rejecter has had its own (one fan-out on arrival).
 * OVERLOAD: its queue is filled first (unicast from its own node until one
 * comes back) and never read; NO_PORT: it keeps the copies, then closes.
 */
class Rejecter {
  readonly socket: RdmSocket
  readonly address: SocketAddress
  private readonly reader: Inbox

  constructor(private readonly node: Transport, readonly code: RejectCode, range: ServiceRange) {
    this.socket = node.rdm()
    this.socket.bind(range)
    this.address = this.socket.address
    const reader = node.rdm()
    reader.bind(range)
    this.reader = inbox(reader)
  }

  /** Make it reject what comes next (OVERLOAD: fill its queue). */
  async ready(): Promise<void> {
    if (this.code === 'NO_PORT') return
    this.socket.onMessages(() => {})
    this.socket.pause()
    await fill(this.node, this.address)
  }

  /** Once `sent` copies were multicast to it: wait until they reached it, and reject them. */
  async reject(sent: number): Promise<void> {
    await until(() => (this.reader.data.length >= sent ? true : undefined), `${sent} copies at the rejecter's node`)
    if (this.code === 'NO_PORT') this.socket.close()
  }
}

/** Fill the receive queue of the (paused) socket at `target` from its own node until it refuses one. */
async function fill(node: Transport, target: SocketAddress): Promise<void> {
  const filler = node.rdm()
  const back = inbox(filler)
  const data = text(payload(0))
  for (let i = 0; i < 100_000 && back.returns.length === 0; i++) {
    if (!filler.send(target, data)) await filler.writable()
    if (i % 200 === 199) await new Promise(resolve => setImmediate(resolve))
  }
  await back.count(1, 'the rejecter full (an OVERLOAD return)')
}

/** Multicast (or anycast) the round's SENT messages, waiting out congestion. */
async function sendRound(tx: RdmSocket, dest: ServiceRange | { type: number; instance: number }): Promise<void> {
  for (let i = 0; i < SENT; i++) {
    const data = text(payload(i))
    while (!tx.send(dest, data)) await tx.writable()
  }
}

/**
 * Resolve once a unicast probe sent now from `node` reached `socket`'s
 * handler: any returned copy queued to it before has been handed over too.
 */
async function drained(node: Transport, socket: RdmSocket, box: Inbox, name: string): Promise<void> {
  const probe = node.rdm()
  probe.send(socket.address, text(`probe ${name}`))
  await box.marker(`probe ${name}`)
  probe.close()
}

/** Wait for SENT returned copies at `socket` (on node 0), then until nothing more can be on its way to it. */
async function allReturned(c: Cluster, socket: RdmSocket, box: Inbox, name: string): Promise<void> {
  await until(() => (box.returns.length >= SENT ? true : undefined), `${SENT} returned copies at ${name}`)
  await drained(c.node(0), socket, box, name)
}

/** Check a set of returned copies: one per message sent, in order, with the kernel's fields. */
function checkCopies(t: Test, box: Inbox, code: RejectCode, rejecter: SocketAddress, dest: ServiceRange, what: string): void {
  const copies = box.returns
  t.equal(copies.length, SENT, `${what}: one returned copy per message`)
  t.ok(copies.every(m => m.returned?.code === code), `${what}: code ${code}`)
  t.ok(copies.every(m => m.from.node === rejecter.node && m.from.ref === rejecter.ref), `${what}: from the rejecting socket`)
  t.ok(copies.every(m => m.dest?.type === dest.type && m.dest.lower === dest.lower && m.dest.upper === dest.upper), `${what}: dest as sent`)
  t.same(copies.map(m => str(m.returned!.data)), cutPayloads(), `${what}: the first 1024 bytes of each, in the order sent`)
  t.ok(copies.every(m => m.returned!.length === 1024), `${what}: length 1024, the cut length`)
  t.ok(copies.every(m => m.data.byteLength === 0), `${what}: no payload`)
}

/** A range of its own for one test, {type, 0, 9}. */
const rangeOfOwn = (): ServiceRange => ({ type: uniqueType(), lower: 0, upper: 9 })

/** Multicast a round from `tx` to `range` once `sender` sees `bindings` bindings, and have the rejecter reject it. */
async function rejectedRound(c: Cluster, tx: RdmSocket, rejecter: Rejecter, range: ServiceRange, bindings: number): Promise<void> {
  await bindingsVisible(c.node(0), range, bindings)
  await rejecter.ready()
  await sendRound(tx, range)
  await rejecter.reject(SENT)
}

/**
 * A round rejected on node `at` by a rejecter of `code`, multicast by an
 * unbound sender on node 0 beside a bystander bound (cluster scope) to a
 * range overlapping the one sent to.
 */
async function bystanderRound(c: Cluster, code: RejectCode, at: number) {
  const range = rangeOfOwn()
  const rejecter = new Rejecter(c.node(at), code, range)
  const bystander = c.node(0).rdm()
  bystander.bind({ type: range.type, lower: 5, upper: 50 })
  const byName = inbox(bystander)
  const tx = c.node(0).rdm()
  const back = inbox(tx)
  await rejectedRound(c, tx, rejecter, range, 3)
  return { range, rejecter, bystander, byName, tx, back }
}

for (const code of CODES) {
  conformance(`multicast, rejected on the sender's node (${code}): every copy back to the sender, to no other socket`, {}, async (t, c) => {
    const { range, rejecter, bystander, byName, tx, back } = await bystanderRound(c, code, 0)
    await back.count(SENT, `${SENT} returned copies at the sender`)
    await drained(c.node(0), tx, back, 'sender')
    checkCopies(t, back, code, rejecter.address, range, 'the sender (unbound)')
    await drained(c.node(0), bystander, byName, 'bystander')
    t.equal(byName.returns.length, 0, 'the bound bystander got none')
    t.equal(byName.data.length - 1, SENT, 'only the copies sent to it (and the probe)')
  })

  conformance(`multicast, rejected on another node (${code}): by name to a bystander on the sender's node, not to the unbound sender`, { nodes: 2, minNodes: 2 }, async (t, c) => {
    const { range, rejecter, bystander, byName, tx, back } = await bystanderRound(c, code, 1)
    await allReturned(c, bystander, byName, 'the bystander')
    checkCopies(t, byName, code, rejecter.address, range, 'the bystander')
    t.equal(byName.returns[0]?.from.node, c.node(1).node, 'from the rejecter\'s node, not the sender\'s')
    await drained(c.node(0), tx, back, 'sender')
    t.equal(back.returns.length, 0, 'the unbound sender got none')
  })

  conformance(`multicast, rejected on another node (${code}): back to a sender bound to the range`, { nodes: 2, minNodes: 2 }, async (t, c) => {
    const range = rangeOfOwn()
    const rejecter = new Rejecter(c.node(1), code, range)
    const tx = c.node(0).rdm()
    tx.bind({ type: range.type, lower: 0, upper: 0 })
    const back = inbox(tx)
    await rejectedRound(c, tx, rejecter, range, 3)
    await allReturned(c, tx, back, 'the sender')
    checkCopies(t, back, code, rejecter.address, range, 'the bound sender')
    t.equal(back.data.length - 1, SENT, 'and the copies sent to itself (and the probe)')
  })
}

conformance('multicast, rejected on another node: one copy per socket, however many of its bindings overlap', { nodes: 2, minNodes: 2 }, async (t, c) => {
  const range = rangeOfOwn()
  const rejecter = new Rejecter(c.node(1), 'NO_PORT', range)
  const one = c.node(0).rdm()
  one.bind({ type: range.type, lower: 0, upper: 3 })
  const oneBox = inbox(one)
  const two = c.node(0).rdm()
  two.bind({ type: range.type, lower: 2, upper: 2 })
  two.bind({ type: range.type, lower: 7, upper: 20 })
  const twoBox = inbox(two)
  const tx = c.node(0).rdm()
  await rejectedRound(c, tx, rejecter, range, 5)
  await allReturned(c, one, oneBox, 'one')
  await allReturned(c, two, twoBox, 'two')
  checkCopies(t, oneBox, 'NO_PORT', rejecter.address, range, 'a socket with one binding')
  checkCopies(t, twoBox, 'NO_PORT', rejecter.address, range, 'a socket with two overlapping bindings')
})

conformance('multicast, rejected on another node: none to node-scope bindings or ranges that do not overlap', { nodes: 2, minNodes: 2 }, async (t, c) => {
  const range = rangeOfOwn()
  const rejecter = new Rejecter(c.node(1), 'NO_PORT', range)
  const marker = c.node(0).rdm()
  marker.bind({ type: range.type, lower: 9, upper: 9 })
  const markerBox = inbox(marker)
  const nodeScope = c.node(0).rdm()
  nodeScope.bind(range, 'node')
  const nodeScopeBox = inbox(nodeScope)
  const elsewhere = c.node(0).rdm()
  elsewhere.bind({ type: range.type, lower: 10, upper: 99 })
  const elsewhereBox = inbox(elsewhere)
  const tx = c.node(0).rdm()
  // Seen from node 0 in the range: the rejecter, its reader, the marker and the node-scope socket.
  await rejectedRound(c, tx, rejecter, range, 4)
  await allReturned(c, marker, markerBox, 'the marker')
  await drained(c.node(0), nodeScope, nodeScopeBox, 'node scope')
  await drained(c.node(0), elsewhere, elsewhereBox, 'elsewhere')
  t.equal(markerBox.returns.length, SENT, 'the overlapping cluster-scope socket got them')
  t.equal(nodeScopeBox.returns.length, 0, 'the node-scope socket got none')
  t.equal(nodeScopeBox.data.length - 1, SENT, '(it did get the copies sent to it)')
  t.equal(elsewhereBox.returns.length, 0, 'the socket bound to a range that does not overlap got none')
})

for (const placement of ['the sender\'s node', 'another node'] as const) {
  const other = placement === 'another node'
  conformance(`anycast, rejected on ${placement} (OVERLOAD): back to the sender`, other ? { nodes: 2, minNodes: 2 } : {}, async (t, c) => {
    const type = uniqueType()
    const at = other ? 1 : 0
    const rejecter = c.node(at).rdm()
    rejecter.bind({ type, instance: 1 })
    const tx = c.node(0).rdm()
    const back = inbox(tx)
    await bindingsVisible(c.node(0), { type, lower: 1, upper: 1 }, 1)
    rejecter.onMessages(() => {})
    rejecter.pause()
    await fill(c.node(at), rejecter.address)
    await sendRound(tx, { type, instance: 1 })
    await back.count(SENT, `${SENT} returned copies at the sender`)
    await drained(c.node(0), tx, back, 'sender')
    checkCopies(t, back, 'OVERLOAD', rejecter.address, { type, lower: 1, upper: 1 }, 'the sender')
  })
}
