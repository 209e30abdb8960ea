// FNV-1a (Fowler/Noll/Vo, variant 1a) over bytes, 32 and 64 bits. Topic
// names and keys become service types, instances and envelope hashes through
// it, on every node and in every version: these functions never change (the
// tests pin their values). FNV-1a is not a defence against chosen collisions;
// nothing here needs one (a collision costs a filter, not a wrong delivery:
// receivers compare the 64-bit hash, and the topic layer the names).

const OFFSET_32 = 0x811c9dc5
const PRIME_32 = 0x01000193

/** 32-bit FNV-1a of `bytes`, as an unsigned integer. */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = OFFSET_32
  for (let i = 0; i < bytes.length; i++) {
    hash = Math.imul(hash ^ bytes[i]!, PRIME_32)
  }
  return hash >>> 0
}

const OFFSET_64 = 0xcbf29ce484222325n
const PRIME_64 = 0x100000001b3n

/** 64-bit FNV-1a of `bytes`, as an unsigned bigint. Computed once per topic, so bigint arithmetic is fast enough. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let hash = OFFSET_64
  for (let i = 0; i < bytes.length; i++) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(bytes[i]!)) * PRIME_64)
  }
  return hash
}
