// Exercises: how their tests are written (spec), run (run), sent across (wire), checked by a
// learner in place (check), and whose function lib runs (registry).
export { exercise, test, advice, tensor, near, same, ok, names, shape, value, words, mention, readable, show, valuesOf, describe, ExerciseError, VerdictError, type ExerciseSpec, type TestCase, type Trial, type NearOptions, type TensorValue, type Mention } from './spec';
export { runSpec, runTest, localCaller, callHere, tfCodec, type Caller, type CallOutcome, type CallOptions, type TestResult, type Serve } from './run';
export { encode, decode, plainCodec, isTensorValue, type Wire, type TensorCodec } from './wire';
export { implementation, reference, dispatch, use, fails, forget, whoRuns, isYours, takeUsed, isExerciseId, type ExerciseId } from './registry';
export { check, runCheck, checkHtml, checkText, exercisesOf, exercisesDir, publicSpec, specsIn, loadTs, type CheckResult } from './check';
export { credit, creditHere, creditText, creditHtml, creditLine } from './credit';
