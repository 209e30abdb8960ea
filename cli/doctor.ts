// `tipc-rx doctor`: what a user asks first — does kernel TIPC work here,
// which transport will tipc-rx use and why, which node am I and whom do I
// see, and, where the kernel has TIPC, its version, bearers, links, key
// settings and whether its version predates the fixes of TIPC's known remote
// bugs; where it has none, how to load it and what udp discovery uses.
// Through the public API only, and the kernel is probed once: when selection
// probed tipc (auto does, first), its answer is the report's; only when
// selection did not (another transport forced, or a bad choice) does doctor
// probe tipc itself.
import {
  NoTransportError, probeTransport, selectTransport, transportRegistry,
  type Availability, type Selection, type TransportChoice, type TransportRegistry,
} from '../core/index.js'
import type { DoctorReport } from './doctor/doctor-report.js'
import { doctorText } from './doctor/doctor-text.js'
import { kernelCves } from './doctor/kernel-cves.js'
import { kernelTipc, LOAD_TIPC, realSystem, type SystemAccess } from './doctor/kernel-tipc.js'
import { nodeView, type NodeView } from './doctor/node-view.js'

export interface DoctorOptions {
  json: boolean
  /** The global --transport (default auto: TIPC_RX_TRANSPORT, then the best available). */
  transport?: TransportChoice
  /** Each transport's own options (--cluster, --key-file give udp's). */
  transportOptions?: Readonly<Record<string, unknown>>
  /** How long to listen for other nodes (ms). */
  waitMs?: number
  env?: Readonly<Record<string, string | undefined>>
  /** The transports to consider (default: the process-wide registry): for tests. */
  registry?: TransportRegistry
  /** Where the kernel's facts are read (default: this machine): for tests. */
  system?: SystemAccess
  out?: (line: string) => void
}

export const DEFAULT_DOCTOR_WAIT_MS = 1500

/** Prints the report; returns the exit code (1 when no transport can run). */
export async function doctor(options: DoctorOptions): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(line + '\n'))
  const registry = options.registry ?? transportRegistry
  let selection: Selection | undefined
  let problem: string | undefined
  let tipc: Availability | undefined
  try {
    selection = await selectTransport({
      env: options.env ?? process.env, registry, ...(options.transport !== undefined && { transport: options.transport }),
    })
    tipc = selection.probes.tipc
  } catch (err) {
    problem = (err as Error).message
    // auto probed tipc before it gave up: the error carries its reason.
    const reason = err instanceof NoTransportError ? err.reasons.tipc : undefined
    if (reason !== undefined) tipc = { available: false, reason }
  }
  tipc ??= await probeTransport('tipc', registry)
  const transport = selection && { kind: selection.kind, by: selection.by, reason: selection.reason }

  let node: NodeView | null = null
  let nodeProblem: string | null = null
  if (selection !== undefined) {
    // The factory itself, not open(): open() would select (and probe) again.
    const factory = registry.get(selection.kind)
    try {
      if (factory === undefined) throw new Error(`no transport '${selection.kind}' is registered`)
      node = await nodeView(() => factory.open(options.transportOptions?.[selection.kind]), options.waitMs ?? DEFAULT_DOCTOR_WAIT_MS)
    } catch (err) {
      nodeProblem = `could not open ${selection.kind}: ${(err as Error).message}`
    }
  }
  const facts = kernelTipc(options.system ?? realSystem)
  const report: DoctorReport = {
    tipc, transport: transport ?? null, problem: problem ?? null, node, nodeProblem,
    kernel: { ...facts, cves: kernelCves(facts.release) },
    loadTipc: tipc.available || facts.module.loaded ? null : LOAD_TIPC,
  }
  if (options.json) out(JSON.stringify(report))
  else for (const line of doctorText(report)) out(line)
  return transport ? 0 : 1
}
