// The browser's kernels (kernels.bytes.ts: the unshared builds for pages that are not
// cross-origin isolated, Node's shared builds themselves for those that are; each plain and
// FMA) are the same source as Node's (kernels.wasm, kernels.fma.wasm): the module holds the four
// files as they are, and the builds export the same functions and differ only in whether their
// memory is shared (and in the FMA builds' fused multiply-add).
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { KERNELS_SHARED_BASE64, KERNELS_SHARED_FMA_BASE64, KERNELS_UNSHARED_BASE64, KERNELS_UNSHARED_FMA_BASE64 } from '../../lib/nn/wasm/kernels.bytes';
import { BUILDS, buildUnshared, bytesModule } from '../../web/live/kernel-bytes';
import { kernelsBuild } from '../../lib/nn/wasm';

const dir = path.join(__dirname, '..', '..', 'lib', 'nn', 'wasm');
const WA = (globalThis as any).WebAssembly;
const read = (f: string) => fs.readFileSync(path.join(dir, f));

describe('site: the browser build’s kernel bytes', () => {
  for (const build of ['plain', 'fma'] as const) {
    it(`${BUILDS[build].unshared} is the unshared build of kernels.as.ts (else: npm run build:wasm:browser)`, function () {
      this.timeout(60_000);
      const built = buildUnshared(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kernels-')), BUILDS[build].unshared), build);
      expect(built.equals(read(BUILDS[build].unshared)), `${BUILDS[build].unshared} is stale`).to.equal(true);
    });
  }

  it('kernels.bytes.ts holds the four builds as they are (else: npm run build:wasm:browser)', () => {
    const files = { unshared: read('kernels.unshared.wasm'), shared: read('kernels.wasm'), unsharedFma: read('kernels.unshared.fma.wasm'), sharedFma: read('kernels.fma.wasm') };
    const held = { unshared: KERNELS_UNSHARED_BASE64, shared: KERNELS_SHARED_BASE64, unsharedFma: KERNELS_UNSHARED_FMA_BASE64, sharedFma: KERNELS_SHARED_FMA_BASE64 };
    for (const k of Object.keys(files) as (keyof typeof files)[]) expect(Buffer.from(held[k], 'base64').equals(files[k]), `kernels.bytes.ts holds an old ${k}`).to.equal(true);
    expect(fs.readFileSync(path.join(dir, 'kernels.bytes.ts'), 'utf8')).to.equal(bytesModule(files));
  });

  for (const build of ['plain', 'fma'] as const) {
    it(`${build}: the unshared and shared builds export the same kernels; only the memory import differs`, () => {
      if (build === 'fma') expect(kernelsBuild(), "this Node runs the FMA build (lib/nn turned its relaxed SIMD on)").to.equal('fma');
      const shared = new WA.Module(read(BUILDS[build].shared));
      const unshared = new WA.Module(read(BUILDS[build].unshared));
      const names = (m: object) => WA.Module.exports(m).map((e: { name: string }) => e.name).sort();
      expect(names(unshared)).to.deep.equal(names(shared));
      const mem = (shared: boolean) => new WA.Memory({ initial: 16, maximum: 32768, shared });
      expect(() => new WA.Instance(unshared, { env: { memory: mem(false), abort() {} } })).to.not.throw();
      expect(() => new WA.Instance(unshared, { env: { memory: mem(true), abort() {} } })).to.throw();
      expect(() => new WA.Instance(shared, { env: { memory: mem(false), abort() {} } })).to.throw();
    });
  }
});
