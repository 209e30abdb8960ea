// Avro's naming rules (the specification's "Names" section), in one place:
// the canonical form (avro-canonical.ts) and the type compiler both follow
// them.
//
// The fullname of a record, enum or fixed:
// - a name with a dot is the fullname, and a `namespace` attribute beside it
//   is ignored;
// - a simple name with a `namespace` attribute (a string; "" is the null
//   namespace) is qualified by it;
// - a simple name alone takes the namespace of the most tightly enclosing
//   named type.
// The namespace of a definition is also the one its nested definitions and
// references inherit, and the one its simple aliases are relative to.
//
// avsc gets the second and third rules right, not the first: a dotted name
// beside a `namespace` attribute lends the attribute, not the name's own
// namespace, to what is nested inside it. So `qualifyNames` states every
// definition's namespace explicitly before avsc sees the schema.

const NAMED_TYPES = new Set(['record', 'error', 'enum', 'fixed'])

/** `name` qualified by `namespace` ('' is the null namespace); a dotted name is already full. */
export function fullName(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`
}

/**
 * The namespace of a named type's definition whose `name` is `name`, inside
 * a definition of namespace `enclosing`. A `namespace` that is not a string
 * (e.g. JSON null) counts as absent, as it does in Avro's Java library.
 */
export function namespaceOf(name: string, namespaceAttribute: unknown, enclosing: string): string {
  const dot = name.lastIndexOf('.')
  if (dot >= 0) return name.slice(0, dot)
  return typeof namespaceAttribute === 'string' ? namespaceAttribute : enclosing
}

/**
 * A copy of `schema` (parsed JSON) in which every named type's definition
 * carries its simple name and its namespace explicitly, as the rules above
 * determine them. Everything else is kept as it is, and shared rather than
 * copied where nothing changes. What is not a well-formed definition is left
 * for the type compiler to refuse.
 */
export function qualifyNames(schema: unknown, enclosing = ''): unknown {
  if (Array.isArray(schema)) return schema.map((branch) => qualifyNames(branch, enclosing))
  if (schema === null || typeof schema !== 'object') return schema
  const s = schema as Record<string, unknown>
  const type = s['type']
  if (typeof type !== 'string' || !NAMED_TYPES.has(type)) {
    // An array, map, primitive in object form, or some other object: only
    // what it contains may need qualifying.
    const inner: Record<string, unknown> = { ...s }
    for (const key of ['type', 'items', 'values'] as const) {
      if (key in s && typeof s[key] === 'object') inner[key] = qualifyNames(s[key], enclosing)
    }
    return inner
  }
  const name = s['name']
  if (typeof name !== 'string') return s
  const namespace = namespaceOf(name, s['namespace'], enclosing)
  const qualified: Record<string, unknown> = { ...s, name: name.slice(name.lastIndexOf('.') + 1), namespace }
  if (Array.isArray(s['fields'])) {
    qualified['fields'] = (s['fields'] as unknown[]).map((field) =>
      field !== null && typeof field === 'object' && 'type' in field
        ? { ...field, type: qualifyNames((field).type, namespace) }
        : field,
    )
  }
  return qualified
}
