// The transports open() can choose from, by kind. The registry names none of
// them: each transport registers itself when its factory module is loaded
// (the package entry loads the built-in ones), and a third party registers
// its own the same way, with registerTransport().
import { InvalidArgumentError } from '../transport-contract/errors.js'
import type { TransportFactory } from './transport-factory.js'

/**
 * Names a transport cannot take: 'auto' is a choice, not a transport, and
 * the others are open()'s own options (SelectionOptions), which share the
 * object where each transport's options sit under its kind. The type check
 * fails on the registry test when SelectionOptions gains a name not listed here.
 */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['auto', 'transport', 'env', 'registry'])

/** A set of transport factories, by kind. */
export class TransportRegistry {
  private readonly factories = new Map<string, TransportFactory>()

  constructor(factories: Iterable<TransportFactory> = []) {
    for (const factory of factories) this.register(factory)
  }

  /**
   * Add a transport. Registering the same factory again is a no-op (a module
   * evaluated twice); another factory under a taken name is refused, because
   * silently replacing a transport would change what 'auto' picks.
   */
  register<K extends string>(factory: TransportFactory<K>): void {
    const kind: unknown = factory.kind
    if (typeof kind !== 'string' || kind === '') throw new InvalidArgumentError(`a transport's kind must be a non-empty string, got ${String(kind)}`)
    if (RESERVED_NAMES.has(kind)) throw new InvalidArgumentError(`'${kind}' cannot name a transport (reserved: ${[...RESERVED_NAMES].join(', ')})`)
    // The kind is also a property name of open()'s options: one that every
    // object has already ('constructor', '__proto__') would read Object's.
    if (kind in Object.prototype) throw new InvalidArgumentError(`'${kind}' cannot name a transport (a property of every object)`)
    const existing = this.factories.get(kind)
    if (existing === factory) return
    if (existing !== undefined) throw new InvalidArgumentError(`a transport named '${kind}' is already registered`)
    this.factories.set(kind, factory)
  }

  /** The factory registered under `kind`, if any. */
  get(kind: string): TransportFactory | undefined {
    return this.factories.get(kind)
  }

  /** Every registered kind, in registration order. */
  kinds(): string[] {
    return [...this.factories.keys()]
  }

  /** The factories 'auto' may choose, in the order it probes them: highest autoPriority first, ties in registration order. */
  autoCandidates(): TransportFactory[] {
    const candidates = [...this.factories.values()].filter(f => f.autoPriority !== undefined)
    // Array.prototype.sort is stable: equal priorities keep registration order.
    return candidates.sort((a, b) => (b.autoPriority ?? 0) - (a.autoPriority ?? 0))
  }
}

/** The process-wide registry: what open() chooses from unless given another one. */
export const transportRegistry = new TransportRegistry()

/** Make a transport available to open() and TIPC_RX_TRANSPORT by its kind, in the process-wide registry. */
export function registerTransport<K extends string>(factory: TransportFactory<K>): void {
  transportRegistry.register(factory)
}
