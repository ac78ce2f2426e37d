// Globals lib expects from Node, set before lib loads: process.env (lib/env.ts reads the settings
// there: COURSE_QUICK from the page's ?quick=1), process.pid (plot ids), setImmediate (lib's
// yieldToEventLoop), and a frontend-connection count that keeps plotly.js out of every plot's
// HTML (the page loads it once itself).
const params = new URL((self as unknown as { location: { href: string } }).location.href).searchParams;
const g = globalThis as Record<string, unknown>;
g.process = {
  env: params.get('quick') === '1' ? { COURSE_QUICK: '1' } : {},
  pid: 1,
  platform: 'browser',
  cwd: () => '/course/work',
  // No `versions.node`: tfjs must not take this for Node.
  versions: {},
  stderr: { isTTY: false, write: () => true },
  stdout: { isTTY: false, write: () => true },
};
const channel = new MessageChannel();
const queue: (() => void)[] = [];
channel.port1.onmessage = () => queue.shift()?.();
g.setImmediate = (f: () => void) => {
  queue.push(f);
  channel.port2.postMessage(0);
};
g.__courseFrontendConnections = -1;
export {};
// tfjs-wasm's binaries: the live pages' copies (site/live/, beside this script's notebook/).
g.COURSE_WASM_PATH = new URL('../live/', (self as unknown as { location: { href: string } }).location.href).href;
