// What lib/notebook.ts reads from tslab's kernel ('tslab/dist/jupyter'): the function that shows
// a display output. The browser's kernel sets it to post the output to the page, so lib's
// show(), table(), check() and progress bars work unchanged.
export type Writer = (content: { data: Record<string, string>; transient?: { display_id?: string } }, update: boolean) => void;
export let lastWriteDisplayData: Writer | null = null;
export function setWriter(w: Writer): void {
  lastWriteDisplayData = w;
}
