// The browser's kernels (kernels.bytes.ts, from kernels.unshared.wasm) are the same source as
// Node's (kernels.wasm): the module that holds them matches the file, and both builds export the
// same functions and differ only in whether their memory is shared.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { KERNELS_UNSHARED_BASE64 } from '../../lib/nn/wasm/kernels.bytes';

const dir = path.join(__dirname, '..', '..', 'lib', 'nn', 'wasm');
const WA = (globalThis as any).WebAssembly;

describe('site: the browser build’s kernel bytes', () => {
  it('kernels.bytes.ts holds kernels.unshared.wasm exactly (rerun npm run build:wasm if not)', () => {
    const file = fs.readFileSync(path.join(dir, 'kernels.unshared.wasm'));
    expect(Buffer.from(KERNELS_UNSHARED_BASE64, 'base64').equals(file)).to.equal(true);
  });

  it('the unshared and shared builds export the same kernels; only the memory import differs', () => {
    const shared = new WA.Module(fs.readFileSync(path.join(dir, 'kernels.wasm')));
    const unshared = new WA.Module(Buffer.from(KERNELS_UNSHARED_BASE64, 'base64'));
    const names = (m: object) => WA.Module.exports(m).map((e: { name: string }) => e.name).sort();
    expect(names(unshared)).to.deep.equal(names(shared));
    const mem = (shared: boolean) => new WA.Memory({ initial: 16, maximum: 32768, shared });
    expect(() => new WA.Instance(unshared, { env: { memory: mem(false), abort() {} } })).to.not.throw();
    expect(() => new WA.Instance(unshared, { env: { memory: mem(true), abort() {} } })).to.throw();
    expect(() => new WA.Instance(shared, { env: { memory: mem(false), abort() {} } })).to.throw();
  });
});
