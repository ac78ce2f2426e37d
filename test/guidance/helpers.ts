// A linear DDPM schedule for the guidance tests (plain numbers; lib/diffusion has the course's own).
export function testSchedule(T = 1000): { T: number; alphaBar: Float32Array } {
  const alphaBar = new Float32Array(T);
  let a = 1;
  for (let t = 0; t < T; t++) {
    a *= 1 - (1e-4 + ((0.02 - 1e-4) * t) / (T - 1));
    alphaBar[t] = a;
  }
  return { T, alphaBar };
}
