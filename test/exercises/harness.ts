// Conventions of the exercise tests, shared by the public tests (here), the grader and a
// teacher's hidden tests: one spec file per exercise, test/exercises/<chapter>/<name>.spec.ts,
// written with lib/exercise/spec (see README "For teachers").
import * as fs from 'fs';
import * as path from 'path';

/** The *.spec.ts files under a folder, sorted. */
export function specFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...specFiles(p));
    else if (e.name.endsWith('.spec.ts')) out.push(p);
  }
  return out;
}

/** A test title carrying its points: 'is symmetric [2 pts]'; advice (0 points) is marked so. */
export function pointsTitle(title: string, points: number): string {
  return points === 0 ? `${title} [advice]` : `${title} [${points} ${points === 1 ? 'pt' : 'pts'}]`;
}
