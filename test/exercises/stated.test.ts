// A public test asks of an error message only what the stub states: every names() pattern of
// every spec against its stub in exercises/ (the rules are in ./stated.ts). Apart from
// exercises.test.ts, which runs the specs against an implementation (COURSE_EXERCISES).
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { specFiles } from './harness';
import { requirements, requirementsOf } from './stated';

describe('every names() check asks only what the stub states', () => {
  const root = path.resolve(__dirname, '..', '..');
  for (const file of specFiles(__dirname)) {
    const id = path.relative(__dirname, file).replace(/\.spec\.ts$/, '').split(path.sep).join('/');
    it(id, () => {
      const stub = path.join(root, 'exercises', `${id}.ts`);
      if (!fs.existsSync(stub)) throw new Error(`${id}: no stub exercises/${id}.ts`);
      const unstated = requirementsOf(file, stub).filter((r) => r.problem).map((r) => `${r.source}: ${r.problem}`);
      if (unstated.length) throw new Error(`${id} asks for what its stub does not state:\n  ${unstated.join('\n  ')}`);
    });
  }

  it('the comparison fails on wording the stub does not state (the cases issue 23 found)', () => {
    const problems = (spec: string, stub: string) => requirements(spec, stub).filter((r) => r.problem).map((r) => r.problem);
    const stub = '/** alphaBar = ᾱ in (0, 1). Bad input is an error naming the value or the shapes. */';
    // A literal "alphaBar = 1" that the stub never writes; a bare \b0\b that "(0, 1)" would satisfy.
    expect(problems(`names(m, 'f', [mention(/alphaBar = 1\\b/, 'x')], 'w');`, stub)).to.have.length(1);
    expect(problems(`names(m, 'f', [value(0, { whole: true })], 'w');`, stub)[0]).to.match(/use named\(0\)/);
    expect(problems(`names(m, 'f', [named(0), shape([3, 2])], 'w'); names(m, 'f', [named(1)], 'w');`, stub)).to.deep.equal([]);
    // Two values where the stub asks for "the value" (ddimStep's ᾱ_t and ᾱ_s).
    expect(problems(`names(m, 'f', [value(0.6), value(0.45)], 'w');`, stub)[0]).to.match(/name 2 values/);
    expect(problems(`names(m, 'f', [value(0.6), value(0.45)], 'w');`, stub.replace('the value', 'both values'))).to.deep.equal([]);
    // Wording: numbers aside, the stub must show it; a position in brackets likewise.
    expect(problems(`names(m, 'f', [words('beta[0] = NaN')], 'w');`, stub)).to.have.length(1);
    expect(problems(`names(m, 'f', [words('beta[0] = NaN')], 'w');`, stub + ' e.g. "f: beta[1] = 1.5 is outside [0, 1]"')).to.deep.equal([]);
    expect(problems(`names(m, 'f', [shape([2], 'the row')], 'w');`, stub)).to.have.length(1);
    expect(problems(`names(m, 'f', [value(1.5, { noun: 'the length' })], 'w');`, stub)[0]).to.match(/never asks to name the length/);
  });
});
