// AssemblyScript source of lib/nn's WebAssembly kernels (built by `npm run build:wasm`
// into kernels.wasm; a test checks the committed binary is this file's build).
//
// Why our own kernels: a dense layer's training step on tfjs is ~25 kernel launches, and at
// the course's sizes (batch 256, width 128) tfjs's per-op bookkeeping costs as much as the
// arithmetic. Here a whole layer's forward or backward pass is one call on raw memory.
//
// All matrices are f32, row-major, addressed by byte offsets into this module's memory
// (the JS side, lib/nn/wasm/heap.ts and layers.ts, lays them out). SIMD: 128-bit f32x4.

// C[n×m] = A·B (+ bias, then ReLU if relu), where A(i, p) = a[i·ai + p·ap] and
// B(p, j) = b[p·m + j]. The strides let the same kernel read A transposed (dW = xᵀ·dz)
// without copying it. Blocks of 4 rows × 8 columns keep 8 accumulators in registers.
export function gemm(a: usize, ai: i32, ap: i32, b: usize, c: usize, n: i32, k: i32, m: i32, bias: usize, relu: i32): void {
  const ai4 = <usize>ai << 2, ap4 = <usize>ap << 2, m4 = <usize>m << 2;
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a0 = a + <usize>i * ai4;
    const c0 = c + <usize>i * m4;
    let j = 0;
    for (; j + 8 <= m; j += 8) {
      const j4 = <usize>j << 2;
      let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
      if (bias) {
        c00 = v128.load(bias + j4);
        c01 = v128.load(bias + j4 + 16);
        c10 = c00; c11 = c01; c20 = c00; c21 = c01; c30 = c00; c31 = c01;
      }
      let pa = a0, pb = b + j4;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        let x = v128.load32_splat(pa);
        c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
        x = v128.load32_splat(pa + ai4);
        c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
        x = v128.load32_splat(pa + 2 * ai4);
        c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
        x = v128.load32_splat(pa + 3 * ai4);
        c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
        pa += ap4;
        pb += m4;
      }
      if (relu) {
        c00 = f32x4.max(c00, zero); c01 = f32x4.max(c01, zero); c10 = f32x4.max(c10, zero); c11 = f32x4.max(c11, zero);
        c20 = f32x4.max(c20, zero); c21 = f32x4.max(c21, zero); c30 = f32x4.max(c30, zero); c31 = f32x4.max(c31, zero);
      }
      const pc = c0 + j4;
      v128.store(pc, c00); v128.store(pc, c01, 16);
      v128.store(pc + m4, c10); v128.store(pc + m4, c11, 16);
      v128.store(pc + 2 * m4, c20); v128.store(pc + 2 * m4, c21, 16);
      v128.store(pc + 3 * m4, c30); v128.store(pc + 3 * m4, c31, 16);
    }
    if (j < m) gemmTail(a, ai4, ap4, b, c, i, i + 4, j, k, m, bias, relu);
  }
  if (i < n) gemmTail(a, ai4, ap4, b, c, i, n, 0, k, m, bias, relu);
}

// The rows [i0, i1) × columns [j0, m) the blocks above leave (a 2D ε has m = 2). When A is
// read transposed (ai = 1, as in dW = xᵀ·dz) four rows of A are adjacent: one vector load
// serves four outputs. Otherwise four partial sums over p keep the adds independent.
function gemmTail(a: usize, ai4: usize, ap4: usize, b: usize, c: usize, i0: i32, i1: i32, j0: i32, k: i32, m: i32, bias: usize, relu: i32): void {
  const m4 = <usize>m << 2;
  let i = i0;
  if (ai4 == 4) {
    for (; i + 4 <= i1; i += 4) {
      for (let j = j0; j < m; j++) {
        let acc = f32x4.splat(0);
        let pa = a + (<usize>i << 2), pb = b + (<usize>j << 2);
        for (let p = 0; p < k; p++) {
          acc = f32x4.add(acc, f32x4.mul(v128.load(pa), v128.load32_splat(pb)));
          pa += ap4;
          pb += m4;
        }
        const pc = c + <usize>i * m4 + (<usize>j << 2);
        const b0: f32 = bias ? load<f32>(bias + (<usize>j << 2)) : 0;
        storeOut(pc, f32x4.extract_lane(acc, 0) + b0, relu);
        storeOut(pc + m4, f32x4.extract_lane(acc, 1) + b0, relu);
        storeOut(pc + 2 * m4, f32x4.extract_lane(acc, 2) + b0, relu);
        storeOut(pc + 3 * m4, f32x4.extract_lane(acc, 3) + b0, relu);
      }
    }
  }
  for (; i < i1; i++) {
    const pa0 = a + <usize>i * ai4;
    for (let j = j0; j < m; j++) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      let pa = pa0, pb = b + (<usize>j << 2);
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        s0 += load<f32>(pa) * load<f32>(pb);
        s1 += load<f32>(pa + ap4) * load<f32>(pb + m4);
        s2 += load<f32>(pa + 2 * ap4) * load<f32>(pb + 2 * m4);
        s3 += load<f32>(pa + 3 * ap4) * load<f32>(pb + 3 * m4);
        pa += 4 * ap4;
        pb += 4 * m4;
      }
      for (; p < k; p++) {
        s0 += load<f32>(pa) * load<f32>(pb);
        pa += ap4;
        pb += m4;
      }
      const b0: f32 = bias ? load<f32>(bias + (<usize>j << 2)) : 0;
      storeOut(c + <usize>i * m4 + (<usize>j << 2), b0 + ((s0 + s1) + (s2 + s3)), relu);
    }
  }
}

// @ts-ignore: decorator
@inline
function storeOut(p: usize, v: f32, relu: i32): void {
  store<f32>(p, relu && v < 0 ? 0 : v);
}

// out[c×r] = xᵀ for x[r×c], in 8×8 tiles so reads and writes both stay in cache.
export function transpose(x: usize, out: usize, r: i32, c: i32): void {
  for (let i0 = 0; i0 < r; i0 += 8) {
    const i1 = min(i0 + 8, r);
    for (let j0 = 0; j0 < c; j0 += 8) {
      const j1 = min(j0 + 8, c);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f32>(out + ((<usize>j * r + i) << 2), load<f32>(x + ((<usize>i * c + j) << 2)));
        }
      }
    }
  }
}

// dz = dy where y > 0, else 0 (ReLU's derivative, written over dy).
export function reluBackward(dy: usize, y: usize, len: i32): void {
  const zero = f32x4.splat(0);
  const end = <usize>len << 2, end4 = end & ~15;
  let o: usize = 0;
  for (; o < end4; o += 16) {
    const mask = f32x4.gt(v128.load(y + o), zero);
    v128.store(dy + o, v128.and(v128.load(dy + o), mask));
  }
  for (; o < end; o += 4) if (!(load<f32>(y + o) > 0)) store<f32>(dy + o, 0);
}

// db[m] = Σ_rows dz[n×m]: the bias gradient.
export function sumRows(dz: usize, db: usize, n: i32, m: i32): void {
  const m4 = <usize>m << 2;
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    let acc = f32x4.splat(0);
    let p = dz + (<usize>j << 2);
    for (let i = 0; i < n; i++) {
      acc = f32x4.add(acc, v128.load(p));
      p += m4;
    }
    v128.store(db + (<usize>j << 2), acc);
  }
  for (; j < m; j++) {
    let acc: f32 = 0;
    for (let i = 0; i < n; i++) acc += load<f32>(dz + <usize>i * m4 + (<usize>j << 2));
    store<f32>(db + (<usize>j << 2), acc);
  }
}

// One Adam step over len parameters, in place, in torch.optim.Adam's form:
//   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  p ← p − step·m / (√v / sqrtBc2 + eps),
// where the caller passes step = lr/(1−β1ᵗ) and sqrtBc2 = √(1−β2ᵗ): that is lr·m̂/(√v̂ + ε).
// 1−β1 and 1−β2 come from the caller too: worked out in f32 here, 1 − 0.999 is off by 1e-5.
export function adam(p: usize, g: usize, m: usize, v: usize, len: i32, step: f32, sqrtBc2: f32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, eps: f32): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), c2 = f32x4.splat(oneMinusBeta2);
  const s = f32x4.splat(step), e = f32x4.splat(eps), bc = f32x4.splat(sqrtBc2);
  const end = <usize>len << 2, end4 = end & ~15;
  let o: usize = 0;
  for (; o < end4; o += 16) {
    const gj = v128.load(g + o);
    const mj = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, gj));
    const vj = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(gj, gj)));
    v128.store(m + o, mj);
    v128.store(v + o, vj);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vj), bc), e);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(s, mj), denom)));
  }
  for (; o < end; o += 4) {
    const gj = load<f32>(g + o);
    const mj = beta1 * load<f32>(m + o) + oneMinusBeta1 * gj;
    const vj = beta2 * load<f32>(v + o) + oneMinusBeta2 * gj * gj;
    store<f32>(m + o, mj);
    store<f32>(v + o, vj);
    store<f32>(p + o, load<f32>(p + o) - (step * mj) / (Mathf.sqrt(vj) / sqrtBc2 + eps));
  }
}
