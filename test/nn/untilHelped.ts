// The helper thread starts in the background (a Worker runs only after its creator yields): run a
// product until it has taken part in one (at most 20 s), so a two-thread test measures two threads.
interface Products {
  readonly helped: number;
  alloc(n: number): number;
  release(p: number): void;
  gemm(a: number, ai: number, ap: number, b: number, c: number, n: number, k: number, m: number, bias: number, relu: number): void;
}

export async function untilHelped(h: Products): Promise<void> {
  const [a, b, c] = [h.alloc(256 * 128), h.alloc(128 * 128), h.alloc(256 * 128)];
  const t0 = Date.now();
  while (h.helped === 0 && Date.now() - t0 < 20000) {
    h.gemm(a, 128, 1, b, c, 256, 128, 128, 0, 0);
    await new Promise((r) => setTimeout(r, 1));
  }
  [a, b, c].forEach((p) => h.release(p));
}
