// The guidance tests' schedule: lib/diffusion's linear DDPM schedule (β from 1e-4 to 0.02).
import { linearSchedule, Schedule } from '../../lib/diffusion';

export function testSchedule(T = 1000): Schedule {
  return linearSchedule(T);
}
