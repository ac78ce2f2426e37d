// Every chapter's creditScope(...) names exactly the exercises its own exercise cells hold (an area
// only when all of that area's exercises are in the notebook), so a credit line never asks the
// learner to check another chapter's exercise that has no check cell there (issue 23 §4). The
// call sits in the first code cell that imports the course, before any figure or table.
import { expect } from 'chai';
import * as path from 'path';
import { EXERCISE_FUNCTIONS } from '../../lib/exercise/ids';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { chapterNotebooks, readNotebook, sourceOf } = require('../../scripts/exercises');

interface Cell { cell_type: string; metadata?: { exercise?: string; check?: string }; source: string | string[] }

const ALL = Object.keys(EXERCISE_FUNCTIONS);

/** What is wrong with a notebook's creditScope call, as sentences ([] when nothing is). */
export function creditScopeProblems(name: string, cells: Cell[], all: string[] = ALL): string[] {
  const own = cells.map((c) => c.metadata?.exercise).filter((x): x is string => !!x);
  const code = cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === 'code' && !c.metadata?.exercise && !c.metadata?.check);
  // Line comments stripped, so a comment that mentions creditScope( is not a call.
  const text = (c: Cell) => sourceOf(c).split('\n').map((l: string) => l.replace(/\/\/.*$/, '')).join('\n');
  const calls = code.flatMap(({ c, i }) => [...text(c).matchAll(/\bcreditScope\(([^)]*)\)/g)].map((m) => ({ i, args: m[1] })));
  if (!own.length) return calls.length ? [`${name} has no exercise cells but calls creditScope`] : [];
  if (calls.length === 0) return [`${name} has exercise cells (${own.join(', ')}) but no creditScope call`];
  if (calls.length > 1) return [`${name} calls creditScope ${calls.length} times (cells ${calls.map((k) => k.i).join(', ')}); once, in its first code cell, is enough`];
  const problems: string[] = [];
  const [{ i, args }] = calls;
  const firstCourse = code.find(({ c }) => /from ['"]course\//.test(text(c)));
  if (firstCourse && i !== firstCourse.i) problems.push(`${name} calls creditScope in cell ${i}, not in cell ${firstCourse.i}, the first that imports the course`);
  if (args.replace(/'[^']*'|"[^"]*"/g, '').replace(/[\s,]/g, '') !== '') problems.push(`${name}: creditScope(${args}) should list string literals only`);
  const named = [...args.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]);
  const covered = new Set<string>();
  for (const a of named) {
    if (a.includes('/')) {
      if (!own.includes(a)) problems.push(`${name}: creditScope names ${a}, which is not one of its exercise cells (${own.join(', ')})`);
      covered.add(a);
      continue;
    }
    const ofArea = all.filter((id) => id.startsWith(`${a}/`));
    if (!ofArea.length) problems.push(`${name}: creditScope names area '${a}', which has no exercises`);
    const elsewhere = ofArea.filter((id) => !own.includes(id));
    if (elsewhere.length) problems.push(`${name}: creditScope names area '${a}', but ${elsewhere.join(', ')} ${elsewhere.length > 1 ? 'have' : 'has'} no exercise cell here; name this notebook's ids instead`);
    ofArea.forEach((id) => covered.add(id));
  }
  const missing = own.filter((id) => !covered.has(id));
  if (missing.length) problems.push(`${name}: creditScope leaves out ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} checked in this notebook`);
  return problems;
}

describe('creditScope in the notebooks: each chapter names exactly its own exercises', () => {
  const md = (s: string): Cell => ({ cell_type: 'markdown', metadata: {}, source: s });
  const cell = (s: string, metadata = {}): Cell => ({ cell_type: 'code', metadata, source: s });
  const ch4 = (first: string) => [md('# 04'), cell(`import { credit, creditScope } from 'course/check';\n${first}`), cell('', { exercise: 'diffusion/eulerStep' }), cell('', { check: 'diffusion/eulerStep' }), cell('', { exercise: 'diffusion/ddimStep' })];

  it('finds each way a call can be wrong (the check can fail)', () => {
    expect(creditScopeProblems('04', ch4("creditScope('diffusion/eulerStep', 'diffusion/ddimStep'); // creditScope('x')"))).to.deep.equal([]);
    expect(creditScopeProblems('04', ch4("creditScope('diffusion');")).join()).to.match(/area 'diffusion', but .*diffusion\/ddpmStep.* no exercise cell here/);
    expect(creditScopeProblems('04', ch4("creditScope('diffusion/eulerStep', 'diffusion/ddimStep', 'diffusion/ddpmStep');"))).to.deep.equal(['04: creditScope names diffusion/ddpmStep, which is not one of its exercise cells (diffusion/eulerStep, diffusion/ddimStep)']);
    expect(creditScopeProblems('04', ch4("creditScope('diffusion/eulerStep');"))).to.deep.equal(['04: creditScope leaves out diffusion/ddimStep, which is checked in this notebook']);
    expect(creditScopeProblems('04', ch4('const x = 1;'))).to.deep.equal(['04 has exercise cells (diffusion/eulerStep, diffusion/ddimStep) but no creditScope call']);
    expect(creditScopeProblems('04', ch4('creditScope(...IDS);')).join()).to.match(/string literals only/);
    expect(creditScopeProblems('04', ch4("creditScope('flux');")).join()).to.match(/area 'flux', which has no exercises/);
    const late = [md('# 04'), cell("import { table } from 'course/table';"), ...ch4("creditScope('diffusion/eulerStep', 'diffusion/ddimStep');").slice(1)];
    expect(creditScopeProblems('04', late)).to.deep.equal(['04 calls creditScope in cell 2, not in cell 1, the first that imports the course']);
    // An area whose exercises are all here may stand for them.
    const ch7 = [cell("import { creditScope } from 'course/check';\ncreditScope('flow');"), cell('', { exercise: 'flow/velocityTarget' }), cell('', { exercise: 'flow/eulerFlowStep' })];
    expect(creditScopeProblems('07', ch7)).to.deep.equal([]);
  });

  it('every chapter notebook passes', () => {
    const files: string[] = chapterNotebooks();
    expect(files.length).to.be.at.least(8);
    const problems = files.flatMap((f) => creditScopeProblems(path.basename(f), readNotebook(f).cells));
    expect(problems).to.deep.equal([]);
  });
});
