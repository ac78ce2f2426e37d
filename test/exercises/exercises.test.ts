// The public exercise tests under mocha. Each spec (test/exercises/<chapter>/<name>.spec.ts)
// runs against COURSE_EXERCISES: 'reference' (default: lib/reference, compiled from solutions/)
// or a folder of implementations (solutions/, the exercises/ stubs, a learner's copy).
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { byId } from '../../lib/reference';
import { localCaller, runTest } from '../../lib/exercise/run';
import { specsIn } from '../../lib/exercise/check';
import { ExerciseSpec } from '../../lib/exercise/spec';
import { pointsTitle, specFiles } from './harness';

const target = process.env.COURSE_EXERCISES ?? 'reference';

function implementationOf(spec: ExerciseSpec): Function {
  if (target === 'reference') return (byId as Record<string, Function>)[spec.id];
  const mod = require(path.join(path.resolve(target), spec.id));
  if (typeof mod[spec.fn] !== 'function') throw new Error(`${spec.id}: ${target} does not export ${spec.fn}`);
  return mod[spec.fn];
}

for (const file of specFiles(__dirname)) {
  for (const spec of specsIn(require(file), file)) {
    describe(spec.id, () => {
      for (const test of spec.tests) {
        it(pointsTitle(test.title, test.points), async () => {
          const r = await runTest(spec, test, localCaller(implementationOf(spec), tf));
          if (!r.passed) throw new Error(r.message);
        });
      }
    });
  }
}
void fs;
