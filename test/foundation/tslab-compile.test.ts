// Notebooks import lib through tslab's own compiler (TypeScript 5.0.4, target
// ES2022, tsconfig.json ignored). Check that everything a notebook can import
// compiles under exactly that compiler and those options.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

// *.as.ts is AssemblyScript (lib/nn/wasm's kernels), compiled by asc, not by tslab.
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.as.ts') ? [p] : [];
  });
}

describe("lib under tslab's compiler", function () {
  this.timeout(120000);
  it('type-checks with TypeScript 5.0.4 and tslab options (target ES2022, Node10 resolution)', () => {
    const ts = require('@tslab/typescript-for-tslab');
    expect(ts.version).to.equal('5.0.4');
    // solutions/ too, where the course has it (a learner edition ships without it).
    const sols = path.join(ROOT, 'solutions');
    const files = [...tsFiles(path.join(ROOT, 'lib')), ...(fs.existsSync(sols) ? tsFiles(sols) : [])];
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      strict: false,
      skipLibCheck: true,
      noEmit: true,
      resolveJsonModule: true,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d: any) => {
      const where = d.file ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diags, diags.join('\n')).to.deep.equal([]);
  });
});

// tslab includes every @types package it can see; the kernel (scripts/kernel.js) hides
// test-only ones, so a notebook's `setup` is not mocha's hook.
describe("test-only types under tslab's compiler", function () {
  this.timeout(120000);
  const { spawnSync } = require('child_process');
  // Compile cells (each on its own) with tslab's own converter in a fresh process, optionally
  // with the kernel's patches; one list of messages per cell.
  const compile = (cells: string[], hide: boolean): string[][] => {
    const code =
      (hide ? "require('./scripts/tslab-types').hideTestTypes();\nrequire('./scripts/tslab-types').hintUndefinedNames();\n" : '') +
      "const c = require('tslab/dist/converter').createConverter();\n" +
      'const out = JSON.parse(process.argv[1]).map((cell) => c.convert("", cell).diagnostics.map((d) => d.messageText)); c.close();\n' +
      'console.log(JSON.stringify(out));';
    const r = spawnSync(process.execPath, ['-e', code, JSON.stringify(cells)], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };

  it("without the kernel's filter, mocha's globals leak in (the bug this guards against)", () => {
    const [diags] = compile(['setup.test(1);'], false);
    expect(diags.join('\n')).to.contain('HookFunction');
  });

  it("with it, an undefined `setup` is \"Cannot find name 'setup'\", and node's types and course/ still resolve", () => {
    const [setup, describe, ok] = compile(
      ['setup.test(1);', 'describe("x", () => {});', "import { spiral } from 'course/data';\nconst n: number = spiral(3, 0).length;\nconst b: Buffer = Buffer.from('a');"],
      true,
    );
    expect(setup).to.deep.equal([
      "Cannot find name 'setup'. Did you mean 'Set'? If an earlier cell defines 'setup', run the cells above this one first (Cell > Run All Above).",
    ]);
    expect(describe.join('\n')).to.contain("Cannot find name 'describe'");
    expect(ok).to.deep.equal([]);
  });
});

// The kernel does not diagnose lib's files again in every cell (scripts/tslab-types.js
// skipLibraryDiagnostics): lib is checked above, under the same compiler and options.
describe("the kernel's compile of a cell skips lib's own diagnostics", function () {
  this.timeout(120000);
  const { spawnSync } = require('child_process');
  const run = (code: string) => {
    const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };

  it('asks for the diagnostics of every file but those under lib/', () => {
    const asked = run(
      "const t = require('./scripts/tslab-types'); t.skipLibraryDiagnostics();\n" +
        "const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [require.resolve('tslab')] }));\n" +
        'const seen = [];\n' +
        'const none = () => [];\n' +
        'const program = { getConfigFileParsingDiagnostics: none, getOptionsDiagnostics: none, getGlobalDiagnostics: none, getCompilerOptions: () => ({}),\n' +
        '  getSyntacticDiagnostics: (f) => { seen.push(f.fileName); return []; }, getSemanticDiagnostics: none, getDeclarationDiagnostics: none };\n' +
        "const files = ['__tslab__.ts', 'lib/diffusion/sample.ts', 'lib/plot/index.ts', 'exercises/diffusion/ddpmStep.ts', 'library.ts'].map((f) => ({ fileName: require('path').resolve(f) }));\n" +
        'ts.getPreEmitDiagnosticsOfFiles(program, files);\n' +
        "console.log(JSON.stringify(seen.map((f) => require('path').relative(process.cwd(), f))));",
    );
    expect(asked).to.deep.equal(['__tslab__.ts', 'exercises/diffusion/ddpmStep.ts', 'library.ts']);
  });

  it("still reports a cell's own type errors, including misuse of lib's types", () => {
    const out = run(
      "const t = require('./scripts/tslab-types'); t.hideTestTypes(); t.skipLibraryDiagnostics();\n" +
        "const c = require('tslab/dist/converter').createConverter();\n" +
        "const cells = [\"import { spiral } from 'course/data';\\nconst n: number = spiral(3, 0).length;\", \"import { spiral } from 'course/data';\\nconst s: string = spiral(3, 0);\", 'const x: number = \"a\";'];\n" +
        'const out = cells.map((cell) => c.convert("", cell).diagnostics.map((d) => d.messageText)); c.close();\n' +
        'console.log(JSON.stringify(out));',
    );
    expect(out[0]).to.deep.equal([]);
    expect(out[1].join('\n')).to.match(/Float32Array.*not assignable to type 'string'/);
    expect(out[2].join('\n')).to.contain("not assignable to type 'number'");
  });
});
