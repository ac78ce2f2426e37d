// The exercise tests' conventions, shared by public tests (here) and a teacher's
// hidden tests (anywhere):
// - a describe() per exercise, titled with its id, e.g. 'clip/similarityMatrix';
// - each it() title ends with its points, written by points(): "... [2 pts]";
// - the code under test is load()ed from the folder in COURSE_EXERCISES
//   (default: solutions/), so the same tests grade solutions, stubs and submissions.
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The folder holding the implementations under test. */
export function exercisesRoot(): string {
  return path.resolve(process.env.COURSE_EXERCISES ?? path.join(ROOT, 'solutions'));
}

/** Load an exercise module, e.g. load<typeof import('../../solutions/clip/x')>('clip/x'). */
export function load<M>(id: string): M {
  return require(path.join(exercisesRoot(), id)) as M;
}

/** A test title carrying its points: points(2, 'is symmetric') -> 'is symmetric [2 pts]'. */
export function points(n: number, title: string): string {
  if (!(n > 0)) throw new Error(`points: must be positive, got ${n}`);
  return `${title} [${n} ${n === 1 ? 'pt' : 'pts'}]`;
}

/** Parse the points back out of a test title (the grader uses this). */
export function pointsOf(title: string): number {
  const m = title.match(/\[(\d+(?:\.\d+)?) pts?\]\s*$/);
  return m ? Number(m[1]) : 1;
}
