// Preloaded (NODE_OPTIONS --import) by tools/test-compiled.mjs into the
// precompiled test run: tap's TypeScript plugin then skips loading ts-node
// into each test process, which compiled .js tests never need.
// @tapjs/typescript's import hook loads ts-node unless TAP_TYPE_STRIP_ONLY is
// '1'; its runner side sets it to '0' on Node < 22, and the test processes
// inherit that, so it is set here, in each process, before the hook runs
// (NODE_OPTIONS' --import comes before tap's own).
//
// Only in processes started with tap's own flags (a test, or a fixture a
// test starts with its execArgv): a process given just the TypeScript
// loader, as a docs block that imports .ts sources is, still gets ts-node.
if (process.execArgv.some(arg => arg.includes('@tapjs/processinfo'))) process.env.TAP_TYPE_STRIP_ONLY = '1'
