// The few things lib needs from the notebook it runs in: are we inside the tslab
// kernel, and how to show HTML there (updating one output in place if asked).

type Writer = (content: unknown, update: boolean) => void;

function writer(): Writer | null {
  try {
    // The kernel's own module instance: set once the kernel serves a request.
    const jupyter = require('tslab/dist/jupyter');
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** True when running inside the tslab kernel (so rich output can be shown). */
export function inNotebook(): boolean {
  return writer() !== null;
}

let nextId = 0;

/** An output area: show(html) the first time, then replace it in place. */
export function outputArea(): { show(html: string): void } {
  const id = `course-${process.pid}-${Date.now().toString(36)}-${nextId++}`;
  let shown = false;
  return {
    show(html: string) {
      const w = writer();
      if (!w) throw new Error('outputArea: not running in a notebook kernel');
      w({ data: { 'text/html': html }, metadata: {}, transient: { display_id: id } }, shown);
      shown = true;
    },
  };
}

/** Show HTML once in the notebook (a no-op outside a kernel, returns false). */
export function showHtml(html: string): boolean {
  const w = writer();
  if (!w) return false;
  w({ data: { 'text/html': html }, metadata: {}, transient: {} }, false);
  return true;
}

/** Let the event loop run, so messages to the notebook go out mid-loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * How many times a page (or another client) connected to this kernel: scripts/kernel.js counts
 * kernel_info requests, which every frontend sends when it connects or reloads. lib/plot sends
 * plotly.js again with the first plot after each new connection. 0 outside that kernel.
 */
export function frontendConnections(): number {
  return (globalThis as { __courseFrontendConnections?: number }).__courseFrontendConnections ?? 0;
}

interface Disposable {
  dispose(): void;
}
const kept = new Map<string, unknown>();

function disposeAll(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (typeof (value as Disposable).dispose === 'function') return (value as Disposable).dispose();
  if (ArrayBuffer.isView(value)) return;
  const items = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value);
  for (const v of items) disposeAll(v, seen);
}

/**
 * Keep a value (a network, tensors, or an object holding them) under a name, disposing
 * whatever was kept under that name before. Training entry points call it, so rerunning a
 * notebook cell that trains frees the previous network: tf.memory().numTensors stays flat.
 * A value that holds the previous one (the same object) is not disposed.
 */
export function keep<T>(name: string, value: T): T {
  const previous = kept.get(name);
  kept.set(name, value);
  if (previous !== undefined && previous !== value) disposeAll(previous, new Set([value]));
  return value;
}

/** A name for keep() from an entry point's name and its options (the same call gets the same name). */
export function keepName(entry: string, ...args: unknown[]): string {
  return `${entry}(${JSON.stringify(args, (_k, v) => (typeof v === 'function' ? undefined : ArrayBuffer.isView(v) ? `[${v.constructor.name} ${(v as unknown as ArrayLike<number>).length}]` : v))})`;
}
