// Whether lib/nn's kernels use relaxed SIMD's fused multiply-add (kernels.fma.wasm). The matrix
// products are bound by how many instructions a core issues, not by its arithmetic units: a
// fused c + a·b is one instruction where the plain build needs two, and the products run about
// 1.5× faster (`npm run bench -- kernels` measures both builds). Chromium has relaxed SIMD on by
// default; Node 20's V8 has it behind a flag, which kernelBytes.ts turns on.
// COURSE_FMA=0 keeps the plain build (the two differ in the last bits of a product: one
// rounding instead of two); COURSE_FMA=1 insists on FMA and fails where the runtime lacks it.
import { env } from '../../env';

const WA = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** COURSE_FMA's value: 'auto' (default), 'on' or 'off'. */
export function fmaSetting(): 'auto' | 'on' | 'off' {
  const v = env('COURSE_FMA');
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === '1') return 'on';
  if (v === '0') return 'off';
  throw new Error(`COURSE_FMA must be 0, 1 or auto; got "${v}"`);
}

/**
 * Whether to run the FMA build `fmaBytes`: unless COURSE_FMA=0, when the runtime validates it,
 * after `enable` (a hook that may switch the runtime's relaxed SIMD on) if it did not at first.
 */
export function useFma(fmaBytes: Uint8Array, enable?: () => void): boolean {
  const setting = fmaSetting();
  if (setting === 'off') return false;
  let ok = WA.validate(fmaBytes);
  if (!ok && enable) {
    enable();
    ok = WA.validate(fmaBytes);
  }
  if (!ok && setting === 'on') throw new Error('COURSE_FMA=1, but this runtime has no relaxed SIMD (WebAssembly f32x4.relaxed_madd); unset COURSE_FMA to fall back');
  return ok;
}
