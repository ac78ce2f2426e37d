// The browser's kernels (kernels.bytes.ts: kernels.unshared.wasm for pages that are not
// cross-origin isolated, kernels.wasm itself for those that are) are the same source as Node's
// (kernels.wasm): the module holds both files as they are, and the two builds export the same
// functions and differ only in whether their memory is shared.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { KERNELS_SHARED_BASE64, KERNELS_UNSHARED_BASE64 } from '../../lib/nn/wasm/kernels.bytes';
import { buildUnshared, bytesModule } from '../../scripts/site-live/kernel-bytes';

const dir = path.join(__dirname, '..', '..', 'lib', 'nn', 'wasm');
const WA = (globalThis as any).WebAssembly;

describe('site: the browser build’s kernel bytes', () => {
  it('kernels.unshared.wasm is the build of kernels.as.ts, and kernels.bytes.ts holds it and kernels.wasm (else: npm run build:wasm:browser)', function () {
    this.timeout(60_000);
    const built = buildUnshared(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kernels-')), 'kernels.unshared.wasm'));
    const file = fs.readFileSync(path.join(dir, 'kernels.unshared.wasm'));
    expect(built.equals(file), 'kernels.unshared.wasm is stale').to.equal(true);
    expect(Buffer.from(KERNELS_UNSHARED_BASE64, 'base64').equals(file), 'kernels.bytes.ts is stale').to.equal(true);
    const shared = fs.readFileSync(path.join(dir, 'kernels.wasm'));
    expect(Buffer.from(KERNELS_SHARED_BASE64, 'base64').equals(shared), 'kernels.bytes.ts holds an old kernels.wasm').to.equal(true);
    expect(fs.readFileSync(path.join(dir, 'kernels.bytes.ts'), 'utf8')).to.equal(bytesModule(file, shared));
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
