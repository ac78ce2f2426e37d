// AssemblyScript source of lib/nn's WebAssembly kernels (built by `npm run build:wasm`
// into kernels.wasm; a test checks the committed binary is this file's build).
//
// Why our own kernels: a dense layer's training step on tfjs is ~25 kernel launches, and at
// the course's sizes (batch 256, width 128) tfjs's per-op bookkeeping costs as much as the
// arithmetic. Here a whole layer's forward or backward pass is one call on raw memory.
//
// All matrices are f32, row-major, addressed by byte offsets into this module's memory
// (the JS side, lib/nn/wasm/heap.ts and layers.ts, lays them out). SIMD: 128-bit f32x4.

// c + a·b, four lanes: one fused multiply-add (relaxed SIMD's f32x4.relaxed_madd) in the build
// with --enable relaxed-simd (kernels.fma.wasm), a multiply then an add otherwise. The fused form
// rounds once instead of twice, so the two builds differ in the last bits; where relaxed_madd
// runs on hardware without FMA, V8 lowers it to the same multiply and add. It is why the FMA
// build is faster: the products are issue-bound, and one instruction does the work of two.
// @ts-ignore: decorator
@inline
function madd(c: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// B packed for gemm (packedSize floats): full 8-column panels [m/8][k][8], so the inner loop
// reads B contiguously (a panel stays in L1), then the last m mod 8 columns transposed,
// [m mod 8][k], so narrow outputs (m = 2: a 2D ε) are dot products of contiguous rows.
// B(p, j) = b[p·rs + j·cs]: cs = 1 packs B itself, rs = 1 packs a transpose without copying it.
export function pack(b: usize, rs: i32, cs: i32, out: usize, k: i32, m: i32): void {
  const rs4 = <usize>rs << 2, cs4 = <usize>cs << 2;
  let o = out;
  let j = 0;
  for (; j + 8 <= m; j += 8) {
    let pb = b + <usize>j * cs4;
    if (cs == 1) {
      for (let p = 0; p < k; p++) {
        v128.store(o, v128.load(pb));
        v128.store(o, v128.load(pb, 16), 16);
        o += 32;
        pb += rs4;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let jj = 0; jj < 8; jj++) store<f32>(o + (<usize>jj << 2), load<f32>(pb + <usize>jj * cs4));
        o += 32;
        pb += rs4;
      }
    }
  }
  for (; j < m; j++) {
    let pb = b + <usize>j * cs4;
    for (let p = 0; p < k; p++) {
      store<f32>(o, load<f32>(pb));
      o += 4;
      pb += rs4;
    }
  }
}

// C[n×m] = A·B (+ bias, then ReLU if relu), where A(i, p) = a[i·ai + p·ap] and B is packed
// (see pack). The strides let the same kernel read A transposed (dW = xᵀ·dz) without copying
// it. Blocks of 4 rows × 8 columns keep 8 accumulators in registers. A row of C is computed
// the same way whichever rows a call covers, as long as calls start at multiples of 4 rows:
// splitting rows so between threads changes no bit of the result.
export function gemm(a: usize, ai: i32, ap: i32, bp: usize, c: usize, n: i32, k: i32, m: i32, bias: usize, relu: i32): void {
  const ai4 = <usize>ai << 2, ap4 = <usize>ap << 2, m4 = <usize>m << 2, panel = <usize>k << 5;
  const zero = f32x4.splat(0);
  const m8 = m & ~7;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a0 = a + <usize>i * ai4;
    const c0 = c + <usize>i * m4;
    for (let j = 0; j < m8; j += 8) {
      const j4 = <usize>j << 2;
      let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
      if (bias) {
        c00 = v128.load(bias + j4);
        c01 = v128.load(bias + j4 + 16);
        c10 = c00; c11 = c01; c20 = c00; c21 = c01; c30 = c00; c31 = c01;
      }
      let pa = a0, pb = bp + <usize>(j >> 3) * panel;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        let x = v128.load32_splat(pa);
        c00 = madd(c00, x, b0); c01 = madd(c01, x, b1);
        x = v128.load32_splat(pa + ai4);
        c10 = madd(c10, x, b0); c11 = madd(c11, x, b1);
        x = v128.load32_splat(pa + 2 * ai4);
        c20 = madd(c20, x, b0); c21 = madd(c21, x, b1);
        x = v128.load32_splat(pa + 3 * ai4);
        c30 = madd(c30, x, b0); c31 = madd(c31, x, b1);
        pa += ap4;
        pb += 32;
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
  }
  const bt = bp + <usize>(m8 >> 3) * panel; // the transposed tail columns
  if (m8 < m) gemmTail(a, ai4, ap4, bt, c, 0, i, m8, k, m, bias, relu);
  if (i < n) gemmRows(a, ai4, ap4, bp, c, i, n, k, m, bias, relu);
}

// Columns [j0, m) of rows [i0, i1), with bt = those columns of B transposed ([m − j0][k]).
// A read transposed (ai = 1): four rows of A are adjacent, one vector load serves four outputs.
// A rows contiguous (ap = 1): each output is a dot product, four lanes of partial sums over p
// for four rows at once. Otherwise scalar, four partial sums.
function gemmTail(a: usize, ai4: usize, ap4: usize, bt: usize, c: usize, i0: i32, i1: i32, j0: i32, k: i32, m: i32, bias: usize, relu: i32): void {
  const m4 = <usize>m << 2, k4 = <usize>k << 2;
  let i = i0;
  if (ai4 == 4) {
    for (; i + 4 <= i1; i += 4) {
      for (let j = j0; j < m; j++) {
        let acc = f32x4.splat(0);
        let pa = a + (<usize>i << 2), pb = bt + <usize>(j - j0) * k4;
        for (let p = 0; p < k; p++) {
          acc = madd(acc, v128.load(pa), v128.load32_splat(pb));
          pa += ap4;
          pb += 4;
        }
        const pc = c + <usize>i * m4 + (<usize>j << 2);
        const b0: f32 = bias ? load<f32>(bias + (<usize>j << 2)) : 0;
        storeOut(pc, f32x4.extract_lane(acc, 0) + b0, relu);
        storeOut(pc + m4, f32x4.extract_lane(acc, 1) + b0, relu);
        storeOut(pc + 2 * m4, f32x4.extract_lane(acc, 2) + b0, relu);
        storeOut(pc + 3 * m4, f32x4.extract_lane(acc, 3) + b0, relu);
      }
    }
  } else if (ap4 == 4) {
    const k4end = k & ~3;
    for (; i + 4 <= i1; i += 4) {
      const a0 = a + <usize>i * ai4;
      for (let j = j0; j < m; j++) {
        const b0p = bt + <usize>(j - j0) * k4;
        let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
        let p = 0;
        for (; p < k4end; p += 4) {
          const o = <usize>p << 2;
          const w = v128.load(b0p + o);
          s0 = madd(s0, v128.load(a0 + o), w);
          s1 = madd(s1, v128.load(a0 + ai4 + o), w);
          s2 = madd(s2, v128.load(a0 + 2 * ai4 + o), w);
          s3 = madd(s3, v128.load(a0 + 3 * ai4 + o), w);
        }
        let r0 = hsum(s0), r1 = hsum(s1), r2 = hsum(s2), r3 = hsum(s3);
        for (; p < k; p++) {
          const w = load<f32>(b0p + (<usize>p << 2)), o = <usize>p << 2;
          r0 += load<f32>(a0 + o) * w;
          r1 += load<f32>(a0 + ai4 + o) * w;
          r2 += load<f32>(a0 + 2 * ai4 + o) * w;
          r3 += load<f32>(a0 + 3 * ai4 + o) * w;
        }
        const bj: f32 = bias ? load<f32>(bias + (<usize>j << 2)) : 0;
        const pc = c + <usize>i * m4 + (<usize>j << 2);
        storeOut(pc, r0 + bj, relu);
        storeOut(pc + m4, r1 + bj, relu);
        storeOut(pc + 2 * m4, r2 + bj, relu);
        storeOut(pc + 3 * m4, r3 + bj, relu);
      }
    }
  }
  for (; i < i1; i++) {
    const pa0 = a + <usize>i * ai4;
    for (let j = j0; j < m; j++) storeOut(c + <usize>i * m4 + (<usize>j << 2), dot(pa0, ap4, bt + <usize>(j - j0) * k4, k, bias, j, 4), relu);
  }
}

// The last n mod 4 rows, every column: one row at a time.
function gemmRows(a: usize, ai4: usize, ap4: usize, bp: usize, c: usize, i0: i32, i1: i32, k: i32, m: i32, bias: usize, relu: i32): void {
  const m4 = <usize>m << 2, m8 = m & ~7, panel = <usize>k << 5, k4 = <usize>k << 2;
  const bt = bp + <usize>(m8 >> 3) * panel;
  for (let i = i0; i < i1; i++) {
    const pa0 = a + <usize>i * ai4, pc = c + <usize>i * m4;
    for (let j = 0; j < m8; j++) storeOut(pc + (<usize>j << 2), dot(pa0, ap4, bp + <usize>(j >> 3) * panel + (<usize>(j & 7) << 2), k, bias, j, 32), relu);
    for (let j = m8; j < m; j++) storeOut(pc + (<usize>j << 2), dot(pa0, ap4, bt + <usize>(j - m8) * k4, k, bias, j, 4), relu);
  }
}

// bias[j] + Σ_p A(row, p)·b[p·bstride], scalar, four partial sums over p.
function dot(pa0: usize, ap4: usize, pb0: usize, k: i32, bias: usize, j: i32, bstride: usize): f32 {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  let pa = pa0, pb = pb0;
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    s0 += load<f32>(pa) * load<f32>(pb);
    s1 += load<f32>(pa + ap4) * load<f32>(pb + bstride);
    s2 += load<f32>(pa + 2 * ap4) * load<f32>(pb + 2 * bstride);
    s3 += load<f32>(pa + 3 * ap4) * load<f32>(pb + 3 * bstride);
    pa += 4 * ap4;
    pb += 4 * bstride;
  }
  for (; p < k; p++) {
    s0 += load<f32>(pa) * load<f32>(pb);
    pa += ap4;
    pb += bstride;
  }
  const b0: f32 = bias ? load<f32>(bias + (<usize>j << 2)) : 0;
  return b0 + ((s0 + s1) + (s2 + s3));
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline
function storeOut(p: usize, v: f32, relu: i32): void {
  store<f32>(p, relu && v < 0 ? 0 : v);
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

// One task of a job that both threads share (lib/nn/wasm/pool.ts hands out task numbers q).
// desc points at the job's description, i32 words:
//   GEMM     [1, a, ai, ap, bp, c, n, k, m, bias, relu, rows]: rows [q·rows, …) of gemm
//   FORWARD  [2, n, rows, L, then per layer x, y, bp, bias, in, out, relu]: rows [q·rows, …)
//            through all L layers (rows are independent through a whole MLP)
//   ADAM     [3, tasks, step, sqrtBc2, β1, 1−β1, β2, 1−β2, ε (f32), then per task p, g, m, v, len]
// rows are multiples of 4, so each row is computed as one call would (see gemm).
export function runTask(desc: usize, q: i32): void {
  const kind = load<i32>(desc);
  if (kind == 1) {
    const rows = load<i32>(desc, 44), n = load<i32>(desc, 24);
    const i0 = q * rows, cnt = min(rows, n - i0);
    const ai = load<i32>(desc, 8), m = load<i32>(desc, 32);
    gemm(load<usize>(desc, 4) + (<usize>i0 * <usize>ai << 2), ai, load<i32>(desc, 12), load<usize>(desc, 16), load<usize>(desc, 20) + (<usize>i0 * <usize>m << 2), cnt, load<i32>(desc, 28), m, load<usize>(desc, 36), load<i32>(desc, 40));
  } else if (kind == 2) {
    const n = load<i32>(desc, 4), rows = load<i32>(desc, 8), L = load<i32>(desc, 12);
    const i0 = q * rows, cnt = min(rows, n - i0);
    for (let l = 0; l < L; l++) {
      const d = desc + 16 + <usize>l * 28;
      const inDim = load<i32>(d, 16), out = load<i32>(d, 20);
      gemm(load<usize>(d) + (<usize>i0 * <usize>inDim << 2), inDim, 1, load<usize>(d, 8), load<usize>(d, 4) + (<usize>i0 * <usize>out << 2), cnt, inDim, out, load<usize>(d, 12), load<i32>(d, 24));
    }
  } else if (kind == 3) {
    const d = desc + 36 + <usize>q * 20;
    adam(load<usize>(d), load<usize>(d, 4), load<usize>(d, 8), load<usize>(d, 12), load<i32>(d, 16),
      load<f32>(desc, 8), load<f32>(desc, 12), load<f32>(desc, 16), load<f32>(desc, 20), load<f32>(desc, 24), load<f32>(desc, 28), load<f32>(desc, 32));
  } else {
    unreachable();
  }
}
