// The course's folder as the kernel sees it: lib's loaders read /course/data/… with fs (Node
// code, unchanged), and here those reads become synchronous requests for the site's copy
// (files/… beside the kernel script). Synchronous XMLHttpRequest is allowed in a Worker, so
// lib's synchronous loaders (loadSpiralNet(), loadDigits()) work as in Node. Files a cell
// writes (a trained network saved) stay in memory for the session.
import { SHIPPED } from 'course-notebook:files';

export const ROOT = '/course';
const written = new Map<string, string | Uint8Array>();

/** '/course/data/x.json' → 'data/x.json' (the site's files/ folder), or null outside the course. */
function relative(file: string): string | null {
  const f = normalize(file);
  return f.startsWith(ROOT + '/') ? f.slice(ROOT.length + 1) : null;
}

export function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** GET a shipped file synchronously (text or bytes). */
export function fetchSync(rel: string, binary: boolean): string | Uint8Array {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', new URL('files/' + rel, (self as unknown as { location: { href: string } }).location.href).href, false);
  if (binary) xhr.responseType = 'arraybuffer';
  xhr.send();
  if (xhr.status !== 200 && xhr.status !== 0) throw new Error(`could not load ${rel} from the site (HTTP ${xhr.status})`);
  return binary ? new Uint8Array(xhr.response as ArrayBuffer) : (xhr.responseText as string);
}

export function exists(file: string): boolean {
  const f = normalize(file);
  if (written.has(f)) return true;
  const rel = relative(f);
  return rel !== null && (SHIPPED.includes(rel) || SHIPPED.some((s) => s.startsWith(rel + '/')));
}

export function read(file: string, encoding?: string | { encoding?: string }): string | Uint8Array {
  const f = normalize(file);
  const enc = typeof encoding === 'string' ? encoding : encoding?.encoding;
  const mine = written.get(f);
  if (mine !== undefined) return typeof mine === 'string' ? (enc ? mine : new TextEncoder().encode(mine)) : enc ? new TextDecoder().decode(mine) : mine;
  const rel = relative(f);
  if (rel === null || !SHIPPED.includes(rel)) {
    const e = new Error(`ENOENT: no such file or directory, open '${file}' (the browser's course has only the shipped files)`) as Error & { code: string };
    e.code = 'ENOENT';
    throw e;
  }
  return fetchSync(rel, !enc);
}

export function write(file: string, data: string | Uint8Array): void {
  written.set(normalize(file), data);
}
