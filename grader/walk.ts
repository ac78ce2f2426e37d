// The grader's one directory walker (submissions, spec folders, lib, the bundle).
import * as fs from 'fs';
import * as path from 'path';

/** Every regular file, folder and other entry (symlinks, devices) under `dir`, depth- and count-capped. */
export function walk(dir: string, opts: { maxDepth?: number; maxEntries?: number; skip?: (name: string) => boolean } = {}) {
  const out = { regular: [] as string[], dirs: [dir] as string[], other: [] as string[], truncated: false };
  const maxDepth = opts.maxDepth ?? 16;
  const maxEntries = opts.maxEntries ?? 100000;
  const visit = (d: string, depth: number) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.regular.length + out.other.length + out.dirs.length > maxEntries) {
        out.truncated = true;
        return;
      }
      if (opts.skip?.(e.name)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (depth >= maxDepth) {
          out.truncated = true;
          continue;
        }
        out.dirs.push(p);
        visit(p, depth + 1);
      } else if (e.isFile()) out.regular.push(p);
      else out.other.push(p);
    }
  };
  visit(dir, 0);
  return out;
}
