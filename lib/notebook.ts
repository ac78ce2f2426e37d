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
