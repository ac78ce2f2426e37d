#!/usr/bin/env node
// The course's Jupyter kernel: tslab, plus a require hook (tsx) so that the
// TypeScript under lib/ and solutions/ loads at run time. Notebooks import the
// library as the package `course` (node_modules/course -> lib), which tslab's
// compiler treats as a library, not as a source under its rootDir (no TS6059).
'use strict';
require('tsx/cjs');
// Test-only type packages (mocha's globals) stay out of the notebooks' compile, and an
// undefined name says that an earlier cell may define it.
require('./tslab-types').hideTestTypes();
// Cells are type-checked; the course's lib (tested under tslab's compiler) is not re-checked in every cell.
require('./tslab-types').skipLibraryDiagnostics();
require('./tslab-types').hintUndefinedNames();
// Count frontend connections: every page sends kernel_info_request when it connects or
// reloads; lib/plot then sends plotly.js again with its next plot (lib/notebook.ts).
const { ZmqServer } = require('tslab/dist/jupyter');
const handleKernelInfo = ZmqServer.prototype.handleKernelInfo;
ZmqServer.prototype.handleKernelInfo = function (...args) {
  globalThis.__courseFrontendConnections = (globalThis.__courseFrontendConnections || 0) + 1;
  return handleKernelInfo.apply(this, args);
};
// COURSE_KERNEL_STATS=<file>: write this process's peak RSS and CPU time there when the
// kernel is asked to shut down (what `npm run bench -- notebooks` reports per chapter).
if (process.env.COURSE_KERNEL_STATS) {
  const fs = require('fs');
  const statsFile = process.env.COURSE_KERNEL_STATS;
  // CPU time of finished child processes (check()'s sandboxes), from /proc: cutime + cstime in ticks of 1/100 s.
  const childCpu = () => {
    try {
      const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
      return (Number(f[13]) + Number(f[14])) / 100;
    } catch {
      return 0;
    }
  };
  const writeStats = () => {
    const u = process.resourceUsage(); // maxRSS in KiB, CPU times in µs
    const own = (u.userCPUTime + u.systemCPUTime) / 1e6;
    const stats = { pid: process.pid, peak_rss_mb: u.maxRSS / 1024, cpu_seconds: own + childCpu(), own_cpu_seconds: own };
    fs.writeFileSync(statsFile, JSON.stringify(stats) + '\n');
  };
  const handleShutdown = ZmqServer.prototype.handleShutdown;
  ZmqServer.prototype.handleShutdown = function (...args) {
    writeStats();
    return handleShutdown.apply(this, args);
  };
  process.on('exit', writeStats);
}
require('tslab/dist/main.js').main();
