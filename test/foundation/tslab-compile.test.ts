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
    const files = [...tsFiles(path.join(ROOT, 'lib')), ...tsFiles(path.join(ROOT, 'solutions'))];
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
