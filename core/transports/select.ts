// Which transport open() uses, and why. The choice and its reason are kept
// (transport.selection) because "why am I on udp?" is the first question a
// user asks, and `doctor` answers it from here.
//
// Order: the `transport` option when it names a kind; else the environment
// variable TIPC_RX_TRANSPORT; else 'auto': the registered transports that
// take part in auto, by their priority, the first one whose probe says it
// can run. Nothing here names a transport: the registry knows them.
import { NoTransportError, TransportUnavailableError, UnknownTransportError } from '../transport-contract/errors.js'
import type { Transport, TransportKind } from '../transport-contract/transport.js'
import type { OpenOptions } from './open-options.js'
import { transportRegistry, type TransportRegistry } from './registry.js'
import type { Availability, TransportFactory } from './transport-factory.js'

export const TRANSPORT_ENV = 'TIPC_RX_TRANSPORT'

export interface Selection {
  kind: TransportKind
  /** Who decided: the option, the environment variable, or auto-detection. */
  by: 'option' | 'env' | 'auto'
  /** One sentence: why this transport. */
  reason: string
  /** What each probed transport said: the forced one, or auto's candidates up to the chosen one. */
  probes: Readonly<Record<TransportKind, Availability>>
}

export type SelectedTransport = Transport & { readonly selection: Selection }

/** 'auto' or a registered kind; anything else names no transport. */
function parseChoice(value: string, asker: string, registry: TransportRegistry): string {
  if (value === 'auto' || registry.get(value) !== undefined) return value
  throw new UnknownTransportError(value, registry.kinds(), asker)
}

async function probeFactory(factory: TransportFactory): Promise<Availability> {
  try {
    return await factory.probe()
  } catch (err) {
    // A probe must not throw; if one does, treat it as a reason, not a crash.
    return { available: false, code: 'ERR_PROBE_FAILED', reason: `probe failed: ${(err as Error).message}` }
  }
}

/** Whether the transport registered as `kind` can run here, and if not, why. Never throws. */
export async function probeTransport(kind: string, registry: TransportRegistry = transportRegistry): Promise<Availability> {
  const factory = registry.get(kind)
  if (factory === undefined) return { available: false, code: 'ERR_TIPC_UNKNOWN_TRANSPORT', reason: `no ${kind} transport is registered` }
  return probeFactory(factory)
}

async function forced(kind: string, by: 'option' | 'env', registry: TransportRegistry): Promise<Selection> {
  const availability = await probeTransport(kind, registry)
  if (!availability.available) throw new TransportUnavailableError(kind, availability.reason)
  const source = by === 'option' ? 'the transport option' : `${TRANSPORT_ENV}=${kind}`
  return { kind, by, reason: `${source} asks for ${kind} (${availability.detail})`, probes: { [kind]: availability } }
}

async function auto(registry: TransportRegistry): Promise<Selection> {
  const probes: Record<string, Availability> = {}
  /** Why each candidate probed so far cannot run, by kind. */
  const reasons: Record<string, string> = {}
  for (const factory of registry.autoCandidates()) {
    const availability = await probeFactory(factory)
    probes[factory.kind] = availability
    if (availability.available) {
      const before = Object.entries(reasons).map(([kind, reason]) => `; ${kind} is not available: ${reason}`).join('')
      return { kind: factory.kind, by: 'auto', reason: `auto: ${factory.kind} works here (${availability.detail})${before}`, probes }
    }
    reasons[factory.kind] = availability.reason
  }
  // No candidate at all: say so per registered transport rather than list nothing.
  if (Object.keys(probes).length === 0) for (const kind of registry.kinds()) reasons[kind] = 'not chosen by auto (ask for it by name)'
  throw new NoTransportError(reasons)
}

/** Decide which transport open() would use, without opening it. Throws when none can run. */
export async function selectTransport(options: OpenOptions = {}): Promise<Selection> {
  const registry = options.registry ?? transportRegistry
  const env = options.env ?? process.env
  const choice = options.transport === undefined ? 'auto' : parseChoice(String(options.transport), 'the transport option', registry)
  if (choice !== 'auto') return forced(choice, 'option', registry)
  const fromEnv = env[TRANSPORT_ENV]
  if (fromEnv !== undefined && fromEnv !== '') {
    const envChoice = parseChoice(fromEnv, TRANSPORT_ENV, registry)
    if (envChoice !== 'auto') return forced(envChoice, 'env', registry)
  }
  return auto(registry)
}

/** This kind's section of open()'s options (`options.udp` for udp), whatever the kind. */
function ownOptions(options: OpenOptions, kind: string): unknown {
  return (options as Readonly<Record<string, unknown>>)[kind]
}

/** Open the selected transport; `transport.selection` tells which and why. */
export async function open(options: OpenOptions = {}): Promise<SelectedTransport> {
  const selection = await selectTransport(options)
  const registry = options.registry ?? transportRegistry
  // selectTransport returns only registered kinds.
  const factory = registry.get(selection.kind)!
  const transport = await factory.open(ownOptions(options, selection.kind))
  Object.defineProperty(transport, 'selection', { value: selection, enumerable: true })
  return transport as SelectedTransport
}
