// Commands that start tipc-rx processes of their own (bench, demo) put them
// in a cluster of their own: on udp, a random cluster id unless --cluster
// names one, so other tipc-rx nodes of this host (another bench, a test run)
// neither join nor disturb the run. Kernel TIPC has one cluster per host;
// there the commands' random topic names keep runs apart.
import { randomInt } from 'node:crypto'
import { selectTransport } from '../core/index.js'
import { childGlobalArgs } from './child-roles.js'
import type { GlobalArgs } from './global-options.js'
import { UsageError } from './usage-error.js'

export interface OwnCluster {
  /** The transport every process of the run uses (auto resolved once, here). */
  kind: string
  /** The global options of this process's own bus. */
  args: GlobalArgs
  /** The same, as flags for the children. */
  childArgs: string[]
}

export async function ownCluster(args: GlobalArgs, command: string): Promise<OwnCluster> {
  const { kind } = await selectTransport({ transport: args.transport })
  if (kind === 'memory') {
    throw new UsageError(`${command} runs processes of its own, which the memory transport cannot join (it lives in one process): use --transport udp or tipc`)
  }
  const cluster = kind === 'udp' ? args.cluster ?? randomInt(0x10000, 0x7fffffff) : args.cluster
  const own: GlobalArgs = { ...args, transport: kind as GlobalArgs['transport'], cluster }
  return { kind, args: own, childArgs: childGlobalArgs(own) }
}
