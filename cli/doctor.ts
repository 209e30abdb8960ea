// `tipc-rx doctor`: what a user asks first — does kernel TIPC work here,
// and which transport will tipc-rx use, and why.
import { isTipcAvailable } from '../bindings/index.js'
import { selectTransport } from '../core/transports/select.js'

export interface DoctorOptions {
  json: boolean
  env?: Readonly<Record<string, string | undefined>>
  out?: (line: string) => void
}

/** Prints the report; returns the exit code (1 when no transport can run). */
export async function doctor(options: DoctorOptions): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(line + '\n'))
  const tipc = isTipcAvailable()
  let selection: { kind: string; by: string; reason: string } | undefined
  let problem: string | undefined
  try {
    const s = await selectTransport({ env: options.env ?? process.env })
    selection = { kind: s.kind, by: s.by, reason: s.reason }
  } catch (err) {
    problem = (err as Error).message
  }
  if (options.json) {
    out(JSON.stringify({ tipc, transport: selection ?? null, problem: problem ?? null }))
  } else {
    out(`kernel TIPC: ${tipc.available ? `available (node ${tipc.node})` : `not available: ${tipc.reason}`}`)
    out(selection ? `transport:   ${selection.kind} (${selection.reason})` : `transport:   none: ${problem}`)
  }
  return selection ? 0 : 1
}
