#!/usr/bin/env node
// `course-reset <notebook|all>` on a hub (the image installs it): put the course's version of a
// notebook (03, 03-ddpm, 03-ddpm.ipynb) or of all of them back into the learner's workspace
// (~/course, or COURSE_WORKSPACE); the learner's copy goes to <workspace>/backup/<time>/ first.
// `npm run reset` does the same for `npm start`'s work/.
'use strict';
const { hubWorkspaceDir } = require('./hub-workspace');

const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: course-reset <notebook|all>   e.g. course-reset 03   or   course-reset all');
  process.exit(2);
}
const dir = hubWorkspaceDir();
process.env.COURSE_WORKSPACE = dir;
const { resetWorkspace } = require('./workspace');
try {
  for (const t of targets) {
    const r = resetWorkspace(t, dir);
    console.log(`Restored the course's version of ${r.restored.join(', ')} in ${r.dir}` + (r.backup ? `; your copy is in ${r.backup}` : ''));
  }
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
