// `tipc-rx doctor`: what a user asks first — does kernel TIPC work here,
// and which transport will tipc-rx use, and why. Through the public API only,
// and the kernel is probed once: when selection probed tipc (auto does,
// first), its answer is the report's; only when selection did not (another
// transport forced, or a bad choice) does doctor probe tipc itself.
import {
  NoTransportError, probeTransport, selectTransport,
  type Availability, type Selection, type TransportRegistry,
} from '../core/index.js'

export interface DoctorOptions {
  json: boolean
  env?: Readonly<Record<string, string | undefined>>
  /** The transports to consider (default: the process-wide registry): for tests. */
  registry?: TransportRegistry
  out?: (line: string) => void
}

/** Prints the report; returns the exit code (1 when no transport can run). */
export async function doctor(options: DoctorOptions): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(line + '\n'))
  let selection: Selection | undefined
  let problem: string | undefined
  let tipc: Availability | undefined
  try {
    selection = await selectTransport({ env: options.env ?? process.env, ...(options.registry && { registry: options.registry }) })
    tipc = selection.probes.tipc
  } catch (err) {
    problem = (err as Error).message
    // auto probed tipc before it gave up: the error carries its reason.
    const reason = err instanceof NoTransportError ? err.reasons.tipc : undefined
    if (reason !== undefined) tipc = { available: false, reason }
  }
  tipc ??= await probeTransport('tipc', options.registry)
  const transport = selection && { kind: selection.kind, by: selection.by, reason: selection.reason }
  if (options.json) {
    out(JSON.stringify({ tipc, transport: transport ?? null, problem: problem ?? null }))
  } else {
    out(`kernel TIPC: ${tipc.available ? `available (${tipc.detail})` : `not available: ${tipc.reason}`}`)
    out(transport ? `transport:   ${transport.kind} (${transport.reason})` : `transport:   none: ${problem}`)
  }
  return transport ? 0 : 1
}
