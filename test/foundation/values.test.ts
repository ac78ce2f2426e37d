// lib/values: a tidy computation's values read back, every tensor freed.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { valuesOf } from '../../lib/values';

describe('lib/values valuesOf', () => {
  it('returns the values of what f returns, of its dtype, and frees every tensor f made', () => {
    const before = tf.memory().numTensors;
    const v = valuesOf(() => tf.mul(tf.tensor1d([1, 2, 3]), 2));
    expect(v).to.be.instanceOf(Float32Array);
    expect(Array.from(v)).to.deep.equal([2, 4, 6]);
    const k = valuesOf<'int32'>(() => tf.argMax(tf.tensor2d([[0, 5, 1], [9, 0, 0]]), 1));
    expect(k).to.be.instanceOf(Int32Array);
    expect(Array.from(k)).to.deep.equal([1, 0]);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('frees the result when reading it fails, and passes the error on', () => {
    const before = tf.memory().numTensors;
    expect(() => valuesOf(() => {
      throw new Error('shape [2] is wrong');
    })).to.throw(/shape \[2\] is wrong/);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
