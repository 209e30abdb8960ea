// One demo subscriber process: subscribes to the demo's topic with automatic
// acks (each message is acked when the handler returns), tells the demo it
// is there, and when asked to stop, reports how many it processed, closes
// its bus (its binding is withdrawn: it leaves cleanly) and exits.
import { exitWithParent, tellParent } from '../child-roles.js'
import { openCliBus, type GlobalArgs } from '../global-options.js'
import type { DemoValue } from './demo-messages.js'

export async function demoSubscriber(args: GlobalArgs, topicName: string): Promise<number> {
  exitWithParent()
  const bus = await openCliBus(args)
  let processed = 0
  const subscription = bus.topic<DemoValue>(topicName).subscribe().subscribe(() => { processed++ })
  const stop = new Promise<void>(resolve => {
    process.on('message', (m: unknown) => { if ((m as { type?: unknown }).type === 'stop') resolve() })
  })
  await tellParent({ type: 'subscribed', node: bus.transport.node, pid: process.pid })
  await stop
  await tellParent({ type: 'stopped', processed })
  subscription.unsubscribe()
  await bus.close()
  process.disconnect()
  return 0
}
