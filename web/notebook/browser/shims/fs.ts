// `fs` for lib in the browser's kernel: reads of the course's shipped files, writes kept in memory (files.ts).
import { exists, read, write } from './files';

export const existsSync = (f: string) => exists(f);
export const readFileSync = (f: string, enc?: string | { encoding?: string }) => read(f, enc);
export const writeFileSync = (f: string, data: string | Uint8Array) => write(f, data);
export const mkdirSync = (_d: string, _o?: unknown) => undefined;
export function readdirSync(): string[] {
  throw new Error('fs.readdirSync: the browser has no folders to list');
}
export default { existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync };
