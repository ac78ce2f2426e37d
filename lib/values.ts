// The values of a tensor computed in a tidy scope, as a typed array, with every tensor freed.
// Why not `tf.tidy(() => f().dataSync())`: tidy looks for tensors in what its function returns,
// and it walks a typed array element by element (tfjs's walkTensorContainer adds each number
// to a Set). For the 64,000 floats of 1,000 caption embeddings that walk took far longer than
// computing them.
import * as tf from '@tensorflow/tfjs';

/** The values of the tensor f returns (f runs in tf.tidy; its tensors are all freed). */
export function valuesOf<T extends tf.DataType = 'float32'>(f: () => tf.Tensor): tf.DataTypeMap[T] {
  const t = tf.tidy(f);
  try {
    return t.dataSync() as tf.DataTypeMap[T];
  } finally {
    t.dispose();
  }
}
