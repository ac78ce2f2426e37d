// Loading weights leaves no tensors behind, so rerunning a notebook cell that loads a network
// keeps tf.memory().numTensors where it was.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as D from '../../lib/diffusion';

describe('loading weights', () => {
  it('spiralNet() twice (a rerun) leaves numTensors where one call left it, and the values load', () => {
    const first = D.spiralNet();
    const after1 = tf.memory().numTensors;
    const again = D.spiralNet();
    expect(tf.memory().numTensors).to.equal(after1);
    const x = tf.tensor2d([0.1, 0.2, -0.3, 0.4], [2, 2]);
    const e = again.net.eps(x, 500);
    expect(Array.from(e.dataSync()).every(Number.isFinite)).to.equal(true);
    tf.dispose([x, e]);
    void first;
  });
});
