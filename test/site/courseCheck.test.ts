// The browser kernel's `course/check` (web/notebook/browser/courseCheck.ts) exports every name
// lib/check.ts exports: a chapter that imports creditScope ran in Jupyter and threw
// "creditScope is not a function" in its browser page.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The names a module's `export { … } from` lines export (types included). */
function exported(file: string): string[] {
  const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const names = [...src.matchAll(/^export\s*\{([^}]*)\}\s*from/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim().replace(/^type\s+/, '')).filter(Boolean));
  expect(names.length, `${file} exports nothing`).to.be.above(0);
  return names.sort();
}

describe('the browser kernel\'s course/check', () => {
  it('exports every name lib/check.ts exports', () => {
    expect(exported('web/notebook/browser/courseCheck.ts')).to.deep.equal(exported('lib/check.ts'));
  });
});
