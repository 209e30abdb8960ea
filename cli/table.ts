// A plain text table for a terminal, as iproute2's `tipc nametable show`
// prints one: a header row, then left-aligned columns two spaces apart.
// Values are printed as given; a missing one is '-'.

export type Cell = string | number | undefined

/** The table's lines: the header, then one per row. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string[] {
  const text = rows.map(row => headers.map((_, i) => (row[i] === undefined ? '-' : String(row[i]))))
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map(r => r[i]!.length)))
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')
  return [line(headers), ...text.map(line)]
}

/** A node id as TIPC's tools print one: hexadecimal, no prefix. */
export function formatNode(node: number): string {
  return node.toString(16)
}

/** A time (ms since the epoch) as an ISO-8601 UTC timestamp to the second. */
export function formatSince(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
