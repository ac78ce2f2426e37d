#!/usr/bin/env node
// A hub learner's workspace (binder/start runs this before the notebook server): the course's
// notebooks and exercises/ copied into COURSE_WORKSPACE (default ~/course) on first start, and
// later only what the learner lacks (a new chapter after an image update), never overwriting
// their work; the course itself stays read-only wherever it is installed (/opt/course).
// It is the same mechanism as `npm start`'s work/ (scripts/workspace.js), with the learner's own
// exercises/ and a link to the course's lib beside them. Prints the workspace's path on stdout.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

/** The hub workspace: COURSE_WORKSPACE (absolute, or relative to the home folder), else ~/course. */
function hubWorkspaceDir(env = process.env) {
  return path.resolve(os.homedir(), env.COURSE_WORKSPACE || 'course');
}

function main() {
  const dir = hubWorkspaceDir();
  // A new workspace is the learner's alone (mode 700), whatever the hub's home folders allow.
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // scripts/workspace.js reads COURSE_WORKSPACE relative to the course folder; give it the absolute path.
  process.env.COURSE_WORKSPACE = dir;
  const { syncWorkspace } = require('./workspace');
  const r = syncWorkspace(dir, { exercises: true, resetCommand: process.env.COURSE_RESET_COMMAND || 'course-reset' });
  const say = (s) => process.stderr.write(`[course] ${s}\n`);
  if (r.copied.length) say(`copied into your workspace ${dir}: ${r.copied.join(', ')}`);
  if (r.copiedExercises.length) say(`copied ${r.copiedExercises.length} exercise files into ${path.join(dir, 'exercises')}`);
  for (const name of r.updatedInCourse) say(`the course's ${name} changed since you copied it; \`course-reset ${name.slice(0, 2)}\` takes the new version (yours is backed up)`);
  for (const rel of r.exercisesUpdatedInCourse) say(`the course's exercises/${rel} changed since you copied it; yours is kept`);
  process.stdout.write(dir + '\n');
}

module.exports = { hubWorkspaceDir };

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`[course] could not prepare your workspace: ${e.message}\n`);
    process.exit(1);
  }
}
