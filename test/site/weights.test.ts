// lib/weights.ts: a saved model's JSON split into metadata + one raw binary and joined back gives
// the same floats (float32 payloads) or the same dequantized floats (16-bit codes) as decoding
// the base64 directly; bad files are refused with a reason.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { base64FromBytes, base64FromFloats } from '../../lib/base64';
import { joinWeights, splitWeights, tensorValues, WEIGHTS_FORMAT } from '../../lib/weights';
import { readWeights, writeWeights } from '../../lib/weightsFile';

const floats = Float32Array.from([1.5, -2.25, 3e-8, 1e30, -0, 7]);
const codes = Uint16Array.from([0, 65535, 1, 32768, 12345]);
const model = {
  options: { hidden: [3], name: 'x' },
  weights: [
    { shape: [2, 3], b64: base64FromFloats(floats) },
    { shape: [5], min: -1, max: 3, data: base64FromBytes(new Uint8Array(codes.buffer)) },
    { shape: [1], data: base64FromFloats([42]) },
  ],
  nothing: null,
};

describe('site: weights as raw binary beside JSON metadata (lib/weights.ts)', () => {
  it('split → join gives each tensor’s values exactly as decoding its base64 does; the rest of the JSON is kept', () => {
    const { meta, bin } = splitWeights(model, 'm.bin');
    expect(meta.format).to.equal(WEIGHTS_FORMAT);
    expect(meta.bytes).to.equal(bin.length);
    // float32 (24 bytes), 16-bit codes (10 bytes, padded to 12), float32 (4 bytes)
    expect(bin.length).to.equal(24 + 12 + 4);
    expect((meta.model as any).weights.map((w: any) => [w.dtype, w.offset])).to.deep.equal([['float32', 0], ['uint16', 24], ['float32', 36]]);
    const back = joinWeights<any>(meta, bin);
    expect(back.options).to.deep.equal(model.options);
    expect(back.nothing).to.equal(null);
    model.weights.forEach((w, i) => {
      const want = tensorValues(w, `tensor ${i}`);
      expect(Array.from(back.weights[i].values as Float32Array), `tensor ${i}`).to.deep.equal(Array.from(want));
      expect(back.weights[i].shape).to.deep.equal(w.shape);
    });
    // 16-bit codes: min + c/65535·(max − min)
    expect(back.weights[1].values[0]).to.equal(-1);
    expect(back.weights[1].values[1]).to.equal(3);
    expect(Object.is(back.weights[0].values[4], -0)).to.equal(true);
  });

  it('the .bin is little-endian float32 at the offsets the .json names', () => {
    const { bin } = splitWeights(model, 'm.bin');
    const dv = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
    expect(dv.getFloat32(4, true)).to.equal(-2.25);
    expect(dv.getUint16(24 + 2, true)).to.equal(65535);
    expect(dv.getFloat32(36, true)).to.equal(42);
  });

  it('writeWeights / readWeights in Node: <name>.json + <name>.bin beside it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weights-'));
    try {
      const { bin, meta } = writeWeights(model, path.join(dir, 'sub', 'm.json'));
      expect(path.basename(bin)).to.equal('m.bin');
      expect(fs.statSync(bin).size).to.equal(meta.bytes);
      const back = readWeights<any>(path.join(dir, 'sub', 'm.json'));
      expect(Array.from(back.weights[0].values)).to.deep.equal(Array.from(floats));
      expect(() => writeWeights(model, path.join(dir, 'm.txt'))).to.throw(/must end in \.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong format, a .bin of the wrong length, a tensor past its end and a payload of the wrong size', () => {
    const { meta, bin } = splitWeights(model, 'm.bin');
    expect(() => joinWeights({ ...meta, format: 'other/1' } as any, bin)).to.throw(/format other\/1/);
    expect(() => joinWeights(meta, bin.subarray(0, 8))).to.throw(/has 8 bytes, its metadata says 40/);
    const bad = JSON.parse(JSON.stringify(meta));
    bad.model.weights[0].offset = 32;
    expect(() => joinWeights(bad, bin)).to.throw(/does not fit/);
    expect(() => splitWeights({ w: { shape: [3], b64: base64FromFloats([1, 2]) } }, 'x.bin')).to.throw(/8 bytes for shape \[3\]/);
    expect(() => tensorValues({ shape: [2] }, 'w')).to.throw(/needs b64, data or values/);
  });
});
