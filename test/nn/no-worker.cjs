// Loaded by threads-run.ts when REFUSE_WORKER=1: refuse worker_threads as the grader's
// sandbox does, so lib/nn must fall back to one thread.
const Module = require('module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'worker_threads' || request === 'node:worker_threads') throw new Error(`${request} is disabled while grading`);
  return load.call(this, request, ...rest);
};
