// What the bench frame (bench/index.ts) hands to every workload.
// A workload is bench/workloads/<name>.ts exporting
//   export async function run(ctx: BenchContext): Promise<Record<string, unknown>>
// and returns its JSON fields (numbers, or objects of numbers, as in ../shared/bench/README.md).
import type { Progress, ProgressInfo } from '../lib/progress';

export interface BenchContext {
  /** Quick mode (COURSE_QUICK=1): fewer steps, same code. The bench contract's numbers are full mode. */
  quick: boolean;
  /** The tfjs backend in use: 'wasm', 'cpu' or 'tensorflow'. */
  backend: string;
  /** The workload's name (its file name under bench/workloads/). */
  name: string;
  /** --contend N: timing workloads also run rounds beside N busy processes (bench/contend.ts). */
  contend?: number;
  /** --learners N: learners on the hub at once (bench/workloads/hub.ts). */
  learners?: number;
  /**
   * A progress bar labelled with the workload's name (lib/progress). Each update()
   * also samples memory for the peak-memory columns, so call it as work goes on.
   */
  progress(total: number, opts?: { unit?: string; phase?: string }): Progress;
  /** Sample memory now (rss and tf.memory().numBytes) for the peak figures. */
  sample(): void;
  /** A line of text for the log (printed above the table, not into the JSON). */
  log(message: string): void;
}

export type Workload = (ctx: BenchContext) => Promise<Record<string, unknown>>;
export type { Progress, ProgressInfo };
