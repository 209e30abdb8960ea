// What the demo publishes, and what its subscriber processes tell it over IPC.

/** One demo message: its number and when it was published. */
export interface DemoValue {
  n: number
  at: number
}

export type DemoReport =
  | { type: 'subscribed'; node: number; pid: number }
  | { type: 'stopped'; processed: number }

export const isDemoReport = <K extends DemoReport['type']>(type: K) =>
  (message: unknown): Extract<DemoReport, { type: K }> | undefined =>
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type
      ? message as Extract<DemoReport, { type: K }>
      : undefined
