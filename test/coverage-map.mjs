// tap coverage map: a unit test carries coverage for the layer it lives
// under (test/codecs/* -> codecs/, ...). Integration suites (the kernel
// harness, multi-process runs, the CLI end to end) map to nothing: they prove
// behaviour, and coverage there would only hide what the unit tests miss.
/** @param {string} testFile @returns {string[] | null} */
export default function coverageMap(testFile) {
  const parts = testFile.replace(/\\/g, '/').split('/')
  const area = parts[parts.indexOf('test') + 1]
  if (area === 'kernel' || area === 'e2e' || area === 'fixtures') return null
  if (['core', 'bindings', 'codecs', 'cli', 'errors'].includes(area)) return [`${area}/**/*.ts`]
  if (area === 'conformance') return ['core/**/*.ts']
  if (area === 'pubsub') return ['core/pubsub/**/*.ts']
  if (area === 'udp') return ['core/transports/udp/**/*.ts']
  if (area === 'streams') return ['core/streams/**/*.ts']
  if (area === 'reqrep') return ['core/reqrep/**/*.ts']
  return null
}
