// Drops some sources from a source map (version 3, no sections): their
// segments go, the other sources are renumbered. The CLI's bundle uses it to
// map only our own code: a stack frame in a dependency then names the
// bundle's line, and coverage of the CLI's end-to-end tests stays about our
// files instead of listing every module of yargs and rxjs.
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]))

/** The numbers of one segment, e.g. "AAgBC" -> [0, 0, 16, 1]. */
function decodeSegment(text) {
  const values = []
  let value = 0
  let shift = 0
  for (const c of text) {
    const digit = DIGIT.get(c)
    if (digit === undefined) throw new Error(`source map: bad character ${JSON.stringify(c)} in mappings`)
    value += (digit & 31) << shift
    if (digit & 32) {
      shift += 5
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1)
      value = 0
      shift = 0
    }
  }
  return values
}

function encodeValue(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1
  let out = ''
  do {
    let digit = v & 31
    v >>>= 5
    if (v > 0) digit |= 32
    out += BASE64[digit]
  } while (v > 0)
  return out
}

/** A copy of `map` without the sources for which `drop(source)` is true. */
export function pruneSources(map, drop) {
  const keep = map.sources.map(s => !drop(s))
  const renumbered = []
  let next = 0
  for (const k of keep) renumbered.push(k ? next++ : -1)
  // Absolute state while decoding, and the state of what was written.
  const at = [0, 0, 0, 0] // source, line, column, name
  const written = [0, 0, 0, 0]
  const lines = map.mappings.split(';').map(line => {
    let column = 0
    let writtenColumn = 0
    const out = []
    for (const segment of line.split(',')) {
      if (segment === '') continue
      const v = decodeSegment(segment)
      column += v[0]
      for (let i = 1; i < v.length; i++) at[i - 1] += v[i]
      let text = encodeValue(column - writtenColumn)
      writtenColumn = column
      // A dropped source's segment stays as a column with no source, so that
      // the segment before it does not stretch over the dropped code.
      const source = v.length > 1 ? renumbered[at[0]] : -1
      if (source < 0) {
        out.push(text)
        continue
      }
      const absolute = [source, at[1], at[2], at[3]]
      for (let i = 0; i < v.length - 1; i++) {
        text += encodeValue(absolute[i] - written[i])
        written[i] = absolute[i]
      }
      out.push(text)
    }
    return out.join(',')
  })
  return {
    ...map,
    sources: map.sources.filter((_, i) => keep[i]),
    ...(map.sourcesContent ? { sourcesContent: map.sourcesContent.filter((_, i) => keep[i]) } : {}),
    mappings: lines.join(';'),
  }
}
