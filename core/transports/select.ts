// Which transport open() uses, and why. The choice and its reason are kept
// (transport.selection) because "why am I on udp?" is the first question a
// user asks, and `doctor` answers it from here.
//
// Order: the `transport` option when it names a kind; else the environment
// variable TIPC_RX_TRANSPORT; else 'auto': tipc where AF_TIPC works, else
// udp. memory is never chosen automatically: it is not a network.
import { InvalidArgumentError, NoTransportError, TransportUnavailableError } from '../transport-contract/errors.js'
import type { Transport, TransportKind } from '../transport-contract/transport.js'
import type { OpenOptions, TransportChoice } from './open-options.js'
import { builtinTransports } from './registry.js'
import type { Availability, TransportRegistry } from './transport-factory.js'

export const TRANSPORT_ENV = 'TIPC_RX_TRANSPORT'
const KINDS: readonly TransportKind[] = ['tipc', 'udp', 'memory']
const AUTO_ORDER: readonly TransportKind[] = ['tipc', 'udp']

export interface Selection {
  kind: TransportKind
  /** Who decided: the option, the environment variable, or auto-detection. */
  by: 'option' | 'env' | 'auto'
  /** One sentence: why this transport. */
  reason: string
  /** What each probed transport said (auto probes tipc, then udp if needed). */
  probes: Partial<Record<TransportKind, Availability>>
}

export type SelectedTransport = Transport & { readonly selection: Selection }

function parseChoice(value: string, from: string): TransportChoice {
  if (value === 'auto' || (KINDS as readonly string[]).includes(value)) return value as TransportChoice
  throw new InvalidArgumentError(`${from} must be one of auto, ${KINDS.join(', ')}; got '${value}'`)
}

async function probe(registry: TransportRegistry, kind: TransportKind): Promise<Availability> {
  const factory = registry[kind]
  if (!factory) return { available: false, code: 'ERR_NOT_BUILT_IN', reason: `no ${kind} transport is registered` }
  try {
    return await factory.probe()
  } catch (err) {
    // A probe must not throw; if one does, treat it as a reason, not a crash.
    return { available: false, code: 'ERR_PROBE_FAILED', reason: `probe failed: ${(err as Error).message}` }
  }
}

/** Decide which transport open() would use, without opening it. Throws when none can run. */
export async function selectTransport(options: OpenOptions = {}): Promise<Selection> {
  const registry = options.registry ?? builtinTransports
  const env = options.env ?? process.env
  let choice: TransportChoice = options.transport === undefined ? 'auto' : parseChoice(String(options.transport), 'the transport option')
  let by: Selection['by'] = choice === 'auto' ? 'auto' : 'option'
  const fromEnv = env[TRANSPORT_ENV]
  if (choice === 'auto' && fromEnv !== undefined && fromEnv !== '') {
    choice = parseChoice(fromEnv, TRANSPORT_ENV)
    if (choice !== 'auto') by = 'env'
  }
  if (choice !== 'auto') {
    const availability = await probe(registry, choice)
    if (!availability.available) throw new TransportUnavailableError(choice, availability.reason)
    const source = by === 'option' ? `the transport option` : `${TRANSPORT_ENV}=${choice}`
    return { kind: choice, by, reason: `${source} asks for ${choice} (${availability.detail})`, probes: { [choice]: availability } }
  }
  const probes: Selection['probes'] = {}
  for (const kind of AUTO_ORDER) {
    const availability = await probe(registry, kind)
    probes[kind] = availability
    if (!availability.available) continue
    const before = AUTO_ORDER.slice(0, AUTO_ORDER.indexOf(kind)).map(k => {
      const p = probes[k]
      return p && !p.available ? `; ${k} is not available: ${p.reason}` : ''
    }).join('')
    return { kind, by: 'auto', reason: `auto: ${kind} works here (${availability.detail})${before}`, probes }
  }
  const reasons: Record<string, string> = {}
  for (const kind of AUTO_ORDER) {
    const p = probes[kind]
    if (p && !p.available) reasons[kind] = p.reason
  }
  throw new NoTransportError(reasons)
}

/** Open the selected transport; `transport.selection` tells which and why. */
export async function open(options: OpenOptions = {}): Promise<SelectedTransport> {
  const selection = await selectTransport(options)
  const factory = (options.registry ?? builtinTransports)[selection.kind]!
  const transport = await factory.open(options)
  Object.defineProperty(transport, 'selection', { value: selection, enumerable: true })
  return transport as SelectedTransport
}
