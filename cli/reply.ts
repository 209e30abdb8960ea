// `tipc-rx reply <topic>`: serve a topic's requests until Ctrl-C (or
// --count N answered). Each request is answered with a fixed --value, with
// the request itself (--echo), or with the output of --command CMD run per
// request by the shell, the request on its stdin and its stdout the reply
// (like `nats reply --command`): a command that exits non-zero is a handler
// failure, sent back to the requester with its stderr. A line on stderr per
// request answered.
import { spawn } from 'node:child_process'
import { CodecError, jsonCodec, rawCodec, type Codec } from '../codecs/index.js'
import { checkTopic, TipcRxError, type RequestContext, type Server } from '../core/index.js'
import { codecName, readerCodec, type CodecArgs } from './codec-option.js'
import { jsonText } from './delivery-format.js'
import { openCliBus, type GlobalArgs } from './global-options.js'
import { inputMode, parseInput, type InputMode } from './input-value.js'
import { positiveInteger } from './number-option.js'
import type { Output } from './output.js'
import { EXIT_OK } from './run-command.js'
import { UsageError } from './usage-error.js'

export interface ReplyArgs extends GlobalArgs, CodecArgs {
  topic: string
  value: string | undefined
  echo: boolean
  command: string | undefined
  json: boolean
  group: string | undefined
  count: string | undefined
}

/** A --command that exited with a failure: sent back to the requester as the handler's error. */
export class ReplyCommandError extends TipcRxError {
  constructor(detail: string) {
    super('ERR_TIPC_RX_REPLY_COMMAND', detail)
  }
}

type Answer = (request: unknown) => unknown

export async function reply(args: ReplyArgs, out: Output): Promise<number> {
  checkTopic(args.topic)
  const ways = [args.value !== undefined, args.echo, args.command !== undefined].filter(Boolean).length
  if (ways !== 1) throw new UsageError('answer with exactly one of --value V, --echo, or --command CMD')
  const count = positiveInteger('count', args.count, 'requests to answer')
  const codec = readerCodec(args)
  const replyCodec: Codec = codecName(args) === 'raw' ? rawCodec() : jsonCodec()
  const mode = inputMode(codecName(args) === 'avro' ? 'json' : codecName(args), args.json)
  const answer = answerOf(args, mode, replyCodec)
  const bus = await openCliBus(args)
  let answered = 0
  return new Promise<number>((resolve, reject) => {
    // Called after `server` is set: by a signal, or after the N-th answer.
    const end = (): void => {
      process.off('SIGINT', end)
      process.off('SIGTERM', end)
      void server.drain().then(() => bus.close()).then(() => {
        out.info(`tipc-rx: reply ${args.topic}: ${answered} requests answered`)
        resolve(EXIT_OK)
      }, reject)
    }
    process.on('SIGINT', end)
    process.on('SIGTERM', end)
    const server: Server = bus.serve(args.topic, async (request: unknown, context: RequestContext) => {
      const value = await answer(request)
      answered++
      out.info(`tipc-rx: reply ${args.topic}: request ${context.id} from ${context.requester.node}:${context.requester.ref} answered`)
      // The N-th answer ends the run; drain() sends it first.
      if (count !== undefined && answered === count) setImmediate(end)
      return value
    }, { codec, replyCodec, ...(args.group !== undefined && { group: args.group }), ...(count !== undefined && { concurrency: 1 }) })
    out.info(`tipc-rx: reply ${args.topic}: serving on node ${bus.transport.node} (${bus.transport.kind})`)
  })
}

function answerOf(args: ReplyArgs, mode: InputMode, replyCodec: Codec): Answer {
  if (args.echo) return request => request
  if (args.value !== undefined) {
    const fixed = parseInput(Buffer.from(args.value, 'utf8'), mode, '--value')
    try {
      replyCodec.encode(fixed)
    } catch (err) {
      if (err instanceof CodecError) throw new UsageError(`--value does not fit the codec: ${err.message}`, err)
      throw err
    }
    return () => fixed
  }
  const command = args.command!
  return async request => {
    const output = await runCommand(command, requestBytes(request))
    return parseInput(output, mode, `the output of --command`)
  }
}

/** What a command reads on stdin: bytes as they are, a string as its text, any other value as JSON, each text ending in a newline. */
function requestBytes(request: unknown): Buffer {
  if (request instanceof Uint8Array) return Buffer.from(request)
  return Buffer.from((typeof request === 'string' ? request : jsonText(request)) + '\n', 'utf8')
}

/** Runs `sh -c command` with `input` on stdin; resolves with its stdout (one trailing newline dropped). */
function runCommand(command: string, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => stdout.push(b))
    child.stderr.on('data', (b: Buffer) => stderr.push(b))
    child.stdin.on('error', () => {}) // a command that does not read its stdin closes it early: not a failure
    child.stdin.end(input)
    child.on('error', err => reject(new ReplyCommandError(`--command could not start: ${err.message}`)))
    child.on('close', (code, signal) => {
      if (code === 0) {
        const out = Buffer.concat(stdout)
        resolve(out.length > 0 && out[out.length - 1] === 0x0a ? out.subarray(0, out.length - 1) : out)
        return
      }
      const why = Buffer.concat(stderr).toString('utf8').trim().split('\n')[0] ?? ''
      reject(new ReplyCommandError(`--command ${signal !== null ? `killed by ${signal}` : `exited with ${String(code)}`}${why === '' ? '' : `: ${why}`}`))
    })
  })
}
