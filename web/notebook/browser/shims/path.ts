// `path` (POSIX) for lib in the browser's kernel: what lib's loaders use to name their files.
import { ROOT, normalize } from './files';

export const sep = '/';
export const join = (...parts: string[]) => {
  const j = parts.filter((p) => p !== '').join('/');
  const n = normalize(j);
  return j.startsWith('/') ? n : n.slice(1) || '.';
};
export const resolve = (...parts: string[]) => {
  let acc = ROOT + '/work';
  for (const p of parts) acc = p.startsWith('/') ? p : acc + '/' + p;
  return normalize(acc);
};
export const dirname = (p: string) => normalize(p + '/..');
export const basename = (p: string, ext?: string) => {
  const b = p.split('/').filter(Boolean).pop() ?? '';
  return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b;
};
export const extname = (p: string) => {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i > 0 ? b.slice(i) : '';
};
export const relative = (from: string, to: string) => {
  const a = normalize(from).split('/').filter(Boolean), b = normalize(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
};
export const isAbsolute = (p: string) => p.startsWith('/');
export default { sep, join, resolve, dirname, basename, extname, relative, isAbsolute };
