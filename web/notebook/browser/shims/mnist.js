// The `mnist` package's digits for lib/data/mnist.ts in the browser: the same 10,000 digits,
// shipped as one byte per pixel indexing the package's 256 distinct values (files/mnist.json),
// so Float32Array.set gives the very same floats as in Node. Loaded on the first loadDigits().
const { fetchSync } = require('./files');
const meta = JSON.parse(fetchSync('mnist.json', false));
const codes = fetchSync('mnist.bin', true);
let at = 0;
module.exports = meta.lengths.map((length) => {
  const raw = new Float64Array(length * 784);
  for (let i = 0; i < raw.length; i++) raw[i] = meta.palette[codes[at + i]];
  at += raw.length;
  return { length, raw };
});
