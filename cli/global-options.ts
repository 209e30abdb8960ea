// Options every command takes: which transport, which cluster, the udp
// cluster key, and how talkative to be. `openCliBus` turns them into a Bus
// the way a program calls openBus(): through the public API only.
import { readFileSync } from 'node:fs'
import type { Argv } from 'yargs'
import { openBus, type Bus, type OpenBusOptions, type TransportChoice } from '../core/index.js'
import { UsageError } from './usage-error.js'

export const TRANSPORTS = ['auto', 'tipc', 'udp', 'memory'] as const

export interface GlobalArgs {
  transport: TransportChoice
  cluster: number | undefined
  keyFile: string | undefined
  quiet: boolean
}

export function withGlobalOptions<T>(y: Argv<T>): Argv<T & GlobalArgs> {
  return y
    .option('transport', {
      choices: TRANSPORTS, default: 'auto' as const, global: true,
      describe: 'auto: kernel TIPC where it works, else udp on loopback (also TIPC_RX_TRANSPORT)',
    })
    .option('cluster', { type: 'number', global: true, describe: 'udp cluster id (TIPC netid); nodes of another cluster are ignored (also TIPC_RX_CLUSTER)' })
    .option('key-file', { type: 'string', global: true, describe: 'file holding the udp cluster key (every packet sealed with it)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, global: true, describe: 'no diagnostics on stderr, errors only' }) as unknown as Argv<T & GlobalArgs>
}

/** The environment variable that gives --cluster when the flag is absent: every command of a shell session, or of a service's processes, in one cluster. */
export const CLUSTER_ENV = 'TIPC_RX_CLUSTER'

/** The udp cluster id: --cluster, else TIPC_RX_CLUSTER, else the transport's default. */
function clusterId(args: GlobalArgs, env: NodeJS.ProcessEnv): number | undefined {
  const fromEnv = env[CLUSTER_ENV]
  const [value, source] = args.cluster !== undefined ? [args.cluster, '--cluster'] : fromEnv !== undefined && fromEnv !== '' ? [Number(fromEnv), CLUSTER_ENV] : [undefined, '']
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new UsageError(`${source} must be an integer in [0, 2^32), got ${source === CLUSTER_ENV ? `'${String(fromEnv)}'` : String(value)}`)
  }
  return value
}

/** The openBus() options the global flags ask for; UsageError when they cannot be met. */
export function busOptions(args: GlobalArgs, env: NodeJS.ProcessEnv = process.env): OpenBusOptions {
  const udp: NonNullable<OpenBusOptions['udp']> = {}
  const cluster = clusterId(args, env)
  if (cluster !== undefined) udp.cluster = cluster
  if (args.keyFile !== undefined) udp.key = readKeyFile(args.keyFile)
  return Object.keys(udp).length > 0 ? { transport: args.transport, udp } : { transport: args.transport }
}

export async function openCliBus(args: GlobalArgs): Promise<Bus> {
  return openBus(busOptions(args))
}

function readKeyFile(path: string): Uint8Array {
  let key: Buffer
  try {
    key = readFileSync(path)
  } catch (err) {
    throw new UsageError(`--key-file ${path}: ${(err as Error).message}`, err)
  }
  // A key written with `echo` ends in a newline that is not part of it.
  const end = key.length > 0 && key[key.length - 1] === 0x0a ? key.length - 1 : key.length
  if (end === 0) throw new UsageError(`--key-file ${path} is empty`)
  return key.subarray(0, end)
}
