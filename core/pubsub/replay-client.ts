// One replay, the subscriber's side: connect to a publisher stream's replay
// service, ask from a position, and hand up the start frame, then each
// retained message whole (reassembled from its 'more' frames), then the end:
// clean (everything up to `through` was sent), or an error (the publisher
// or its node vanished, or it refused the request). A frame that does not
// decode, or comes out of turn, ends the replay as an error: the bytes after
// it cannot be trusted to be what they say.
import type { ServiceAddress, SeqpacketConnection, SocketAddress, Transport } from '../transport-contract/index.js'
import { decodeReplayFrame, encodeRequest, type ReplayRecord, type ReplayRequest, type ReplayStart } from './replay-wire.js'
import { ReplayProtocolError } from './errors.js'

/** A retained message as the replay delivered it. */
export interface ReplayedMessage {
  seq: number
  lastSeq: number
  timestamp: number
  codecId: Uint8Array
  key: Uint8Array | undefined
  payload: Uint8Array
}

export interface ReplayClientHooks {
  start(s: ReplayStart): void
  message(m: ReplayedMessage): void
  /** Once: undefined when the publisher sent everything it had, else why not. */
  end(err: Error | undefined): void
}

export class ReplayClient {
  private connection: SeqpacketConnection | undefined
  private started = false
  private partial: { record: ReplayRecord; parts: Uint8Array[]; length: number } | undefined
  private ended = false
  private paused = false

  constructor(
    transport: Transport,
    dest: ServiceAddress | SocketAddress,
    request: Omit<ReplayRequest, 'kind'>,
    private readonly hooks: ReplayClientHooks,
  ) {
    transport.connect(dest).then(c => {
      if (this.ended) {
        c.close()
        return
      }
      this.connection = c
      if (this.paused) c.pause()
      c.onMessages(batch => {
        for (let i = 0; i < batch.length && !this.ended; i++) this.frame(batch.at(i).data)
      }, err => this.finish(err ?? (this.partial === undefined && this.started ? undefined : new ReplayProtocolError('the publisher ended the replay before it was complete'))))
      // Never refused for the window: a fresh connection has room for one request.
      c.send(encodeRequest(request))
    }, (err: unknown) => this.finish(err as Error))
  }

  /** Hold the replay back (the subscriber's buffer is full): the publisher's sends wait for the window. */
  pause(): void {
    this.paused = true
    this.connection?.pause()
  }

  resume(): void {
    this.paused = false
    this.connection?.resume()
  }

  /** Stop now, without telling the hooks. */
  close(): void {
    this.ended = true
    this.connection?.close()
  }

  private frame(bytes: Uint8Array): void {
    const decoded = decodeReplayFrame(bytes)
    if (!decoded.ok) return this.abort(`a replay frame does not decode (${decoded.reason})`)
    const f = decoded.frame
    if (f.kind === 'start') {
      if (this.started) return this.abort('a second start frame')
      this.started = true
      this.hooks.start(f)
    } else if (f.kind === 'record') {
      if (!this.started || this.partial !== undefined) return this.abort('a record frame out of turn')
      if (!f.more) return this.hooks.message({ ...f, payload: f.part })
      this.partial = { record: f, parts: [f.part], length: f.part.length }
    } else if (f.kind === 'more') {
      const p = this.partial
      if (p === undefined) return this.abort('a continuation frame without its record')
      p.parts.push(f.part)
      p.length += f.part.length
      if (p.length > p.record.payloadLength || (!f.more && p.length !== p.record.payloadLength)) return this.abort('a record whose parts do not add up to its length')
      if (f.more) return
      this.partial = undefined
      this.hooks.message({ ...p.record, payload: concat(p.parts, p.length) })
    } else {
      this.abort('a request frame from the publisher')
    }
  }

  private abort(reason: string): void {
    this.connection?.close()
    this.finish(new ReplayProtocolError(reason))
  }

  private finish(err: Error | undefined): void {
    if (this.ended) return
    this.ended = true
    this.hooks.end(err)
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
