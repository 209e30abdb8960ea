// `--codec json|raw|avro` and `--schema FILE`, shared by tail and publish:
// which codec a topic is opened with. publish writes with it; tail reads with
// it, and with `--codec avro` and no schema reads every message with its
// writer's schema, fetched from the publisher through the broker-less
// registry (AvroWriterCodec). A schema file that cannot be read or parsed is
// bad input (exit 2), with the file's name and what is wrong with it.
import type { Argv } from 'yargs'
import { AvroCodec, AvroWriterCodec, CodecError, jsonCodec, rawCodec, type Codec } from '../codecs/index.js'
import { anyPayloadBytes } from './payload-bytes-codec.js'
import { UsageError } from './usage-error.js'

export const CODECS = ['json', 'raw', 'avro'] as const
export type CodecName = (typeof CODECS)[number]

export interface CodecArgs {
  codec: CodecName | undefined
  schema: string | undefined
  raw: boolean
}

export function withCodecOptions<T>(y: Argv<T>) {
  return y
    .option('codec', { choices: CODECS, describe: "the topic's codec (default json; avro with --schema)" })
    .option('schema', { type: 'string', describe: 'Avro schema file (.avsc, JSON); implies --codec avro' })
}

/** The codec the flags name: --raw is --codec raw, --schema is --codec avro. */
export function codecName(args: CodecArgs): CodecName {
  const implied = args.raw ? 'raw' : args.schema !== undefined ? 'avro' : undefined
  if (args.codec !== undefined && implied !== undefined && args.codec !== implied) {
    throw new UsageError(`--codec ${args.codec} does not go with ${args.raw ? '--raw' : '--schema'}`)
  }
  if (args.raw && args.schema !== undefined) throw new UsageError('--raw does not go with --schema (raw bytes have no schema)')
  return args.codec ?? implied ?? 'json'
}

/** What publish writes with. */
export function writerCodec(args: CodecArgs): Codec {
  const name = codecName(args)
  if (name === 'json') return jsonCodec()
  if (name === 'raw') return rawCodec()
  if (args.schema === undefined) throw new UsageError('--codec avro needs --schema FILE to publish (the schema the values are written with)')
  return avroFromFile(args.schema)
}

/**
 * What tail reads with. With --raw (or --codec raw) it takes every message's
 * bytes as they are, whatever wrote them, since it prints bytes.
 */
export function readerCodec(args: CodecArgs): Codec {
  const name = codecName(args)
  if (name === 'json') return jsonCodec()
  if (name === 'raw') return anyPayloadBytes
  return args.schema === undefined ? new AvroWriterCodec() : avroFromFile(args.schema)
}

function avroFromFile(path: string): AvroCodec {
  try {
    return AvroCodec.fromFile(path)
  } catch (err) {
    if (err instanceof CodecError) throw new UsageError(`--schema: ${err.message}`, err)
    throw err
  }
}
