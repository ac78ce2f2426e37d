#!/usr/bin/env node
// Size a hub for a class from the course's own measurements:
//   npm run bench -- notebooks --json bench.json        (each chapter's kernel peak RSS and CPU s)
//   node scripts/hub-sizing.js bench.json --server-mib M [--learners N] [--wait S]
// M is one learner's notebook server (test/hub prints it: "notebook server … MiB").
// The rule (README, "Teaching a class on a hub"):
//   memory limit     = ⌈(largest chapter's kernel peak × HEADROOM + M) / 256 MiB⌉ × 256 MiB
//   memory guarantee = ⌈(median chapter's kernel peak + M) / 256 MiB⌉ × 256 MiB
//   cores for N learners running chapter c together, each done within S seconds
//                    = N × CPU seconds(c) / S
// HEADROOM covers kernels that peak higher when many run at once (glibc arenas, GC timing).
'use strict';
const fs = require('fs');

const HEADROOM = 1.25;
const STEP_MIB = 256;

function parseArgs(argv) {
  const out = { file: null, serverMib: null, learners: 200, wait: 60 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (name) => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number, got "${argv[i]}"`);
      return v;
    };
    if (a === '--server-mib') out.serverMib = num(a);
    else if (a === '--learners') out.learners = num(a);
    else if (a === '--wait') out.wait = num(a);
    else if (!out.file) out.file = a;
    else throw new Error(`unexpected argument "${a}"`);
  }
  if (!out.file || out.serverMib === null) throw new Error('usage: node scripts/hub-sizing.js BENCH.json --server-mib M [--learners N] [--wait S]');
  return out;
}

const roundUp = (mib) => Math.ceil(mib / STEP_MIB) * STEP_MIB;
const gib = (mib) => `${(mib / 1024).toFixed(2)} GiB`;

/** The sizing from a bench result ({ notebooks: { <chapter>: { peak_rss_mb, cpu_seconds } } }). */
function sizing(bench, { serverMib, learners, wait }) {
  const chapters = Object.entries((bench && bench.notebooks) || {}).filter(([, v]) => v && typeof v.peak_rss_mb === 'number');
  if (chapters.length === 0) throw new Error('the bench file has no notebooks.<chapter>.peak_rss_mb: run `npm run bench -- notebooks --json FILE`');
  const peaks = chapters.map(([, v]) => v.peak_rss_mb).sort((a, b) => a - b);
  const largest = peaks[peaks.length - 1];
  const median = peaks[Math.floor((peaks.length - 1) / 2)];
  return {
    limitMib: roundUp(largest * HEADROOM + serverMib),
    guaranteeMib: roundUp(median + serverMib),
    chapters: chapters.map(([name, v]) => ({ name, peakMib: v.peak_rss_mb, cpuSeconds: v.cpu_seconds, cores: (learners * v.cpu_seconds) / wait })),
  };
}

module.exports = { sizing, HEADROOM };

if (require.main === module) {
  try {
    const a = parseArgs(process.argv.slice(2));
    const s = sizing(JSON.parse(fs.readFileSync(a.file, 'utf8')), a);
    console.log(`chapter                                  kernel peak   CPU s   cores for ${a.learners} learners together, each within ${a.wait} s`);
    for (const c of s.chapters) console.log(`${c.name.padEnd(40)} ${c.peakMib.toFixed(0).padStart(7)} MiB ${c.cpuSeconds.toFixed(1).padStart(7)} ${c.cores.toFixed(1).padStart(8)}`);
    console.log(`memory per learner: guarantee ${s.guaranteeMib} MiB (${gib(s.guaranteeMib)}), limit ${s.limitMib} MiB (${gib(s.limitMib)}) (notebook server ${a.serverMib} MiB, headroom ×${HEADROOM})`);
    console.log(`z2jh: singleuser.memory.guarantee: ${s.guaranteeMib}M, singleuser.memory.limit: ${s.limitMib}M`);
  } catch (e) {
    console.error(`hub-sizing: ${e.message}`);
    process.exit(1);
  }
}
