// The stable `code` string of an error, when it has one (every tipc-rx error
// does; a user's handler may throw anything): what a settled request and a
// failure sent back to a requester carry.
export function errorCode(err: unknown, otherwise: string): string {
  const code = (err as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : otherwise
}
