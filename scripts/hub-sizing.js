#!/usr/bin/env node
// Size a hub for a class from the course's own measurements:
//   npm run bench -- notebooks --json bench.json        (each chapter's kernel peak RSS and CPU s)
//   sudo npm run bench -- hub --learners 16 --json hub.json   (N learners at once on this node)
//   node scripts/hub-sizing.js bench.json [hub.json] [--server-mib M] [--learners N] [--wait S]
// M is one learner's notebook server (test/hub prints it: "notebook server … MiB"); without
// --server-mib it is the hub run's largest notebook server.
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
  const out = { files: [], serverMib: null, learners: 200, wait: 60 };
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
    else if (a.startsWith('-')) throw new Error(`unknown option "${a}"`);
    else out.files.push(a);
  }
  if (out.files.length === 0) throw new Error('usage: node scripts/hub-sizing.js BENCH.json [HUB.json] [--server-mib M] [--learners N] [--wait S]');
  return out;
}

const roundUp = (mib) => Math.ceil(mib / STEP_MIB) * STEP_MIB;
const gib = (mib) => `${(mib / 1024).toFixed(2)} GiB`;

/**
 * What `bench hub` measured on one node: N learners at once, each learner's peak RSS (server and
 * kernel), the slowest, the node's total; and how many learners the node's memory holds at the
 * largest learner's peak with HEADROOM.
 */
function hubFigures(hub) {
  if (!hub || typeof hub.learners !== 'number' || !hub.peak_rss_mb || !hub.seconds) return null;
  const perLearner = hub.peak_rss_mb.per_learner_max;
  const memoryMib = hub.node && hub.node.memory_gib ? hub.node.memory_gib * 1024 : null;
  return {
    learners: hub.learners,
    mode: hub.mode,
    failures: hub.failures,
    medianSeconds: hub.seconds.median,
    maxSeconds: hub.seconds.max,
    perLearnerMaxMib: perLearner,
    serverMaxMib: hub.peak_rss_mb.server_max,
    nodeTotalMib: hub.peak_rss_mb.node_total,
    cores: hub.node ? hub.node.cores : null,
    loadMax: hub.load ? hub.load.max_1min : null,
    learnersByMemory: memoryMib ? Math.floor(memoryMib / (perLearner * HEADROOM)) : null,
  };
}

/**
 * The sizing from bench results: { notebooks: { <chapter>: { peak_rss_mb, cpu_seconds } } } for
 * the per-chapter rule, and/or { hub: … } (bench hub) for what one node held. serverMib defaults
 * to the hub run's largest notebook server.
 */
function sizing(bench, { serverMib, learners, wait }) {
  const hub = hubFigures(bench && bench.hub);
  if (serverMib === null || serverMib === undefined) {
    if (!hub) throw new Error('give --server-mib M (one notebook server, MiB), or a `bench hub` result that measured it');
    serverMib = hub.serverMaxMib;
  }
  const chapters = Object.entries((bench && bench.notebooks) || {}).filter(([, v]) => v && typeof v.peak_rss_mb === 'number');
  if (chapters.length === 0 && hub) return { hub, serverMib, limitMib: roundUp(hub.perLearnerMaxMib * HEADROOM), guaranteeMib: null, chapters: [] };
  if (chapters.length === 0) throw new Error('the bench file has no notebooks.<chapter>.peak_rss_mb: run `npm run bench -- notebooks --json FILE` (or `bench hub --learners N`)');
  const peaks = chapters.map(([, v]) => v.peak_rss_mb).sort((a, b) => a - b);
  const largest = peaks[peaks.length - 1];
  const median = peaks[Math.floor((peaks.length - 1) / 2)];
  return {
    hub,
    serverMib,
    limitMib: roundUp(largest * HEADROOM + serverMib),
    guaranteeMib: roundUp(median + serverMib),
    chapters: chapters.map(([name, v]) => ({ name, peakMib: v.peak_rss_mb, cpuSeconds: v.cpu_seconds, cores: (learners * v.cpu_seconds) / wait })),
  };
}

module.exports = { sizing, HEADROOM };

if (require.main === module) {
  try {
    const a = parseArgs(process.argv.slice(2));
    // Several bench files (notebooks, hub) read as one result.
    const bench = Object.assign({}, ...a.files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8'))));
    const s = sizing(bench, a);
    if (s.hub) {
      const h = s.hub;
      console.log(`measured on this node (${h.cores} cores): ${h.learners} learners at once, ${h.mode} mode, ${h.failures} failures; seconds median ${h.medianSeconds}, slowest ${h.maxSeconds}; peak RSS per learner up to ${h.perLearnerMaxMib} MiB (notebook server ${h.serverMaxMib}), all learners together ${h.nodeTotalMib} MiB; load up to ${h.loadMax}`);
      if (h.learnersByMemory !== null) console.log(`this node's memory holds ${h.learnersByMemory} learners at the largest learner's peak × ${HEADROOM}`);
      if (s.chapters.length === 0) {
        console.log(`memory per learner: limit ${s.limitMib} MiB (${gib(s.limitMib)}) (the largest learner's peak × ${HEADROOM}); run bench notebooks for the per-chapter guarantee`);
        return;
      }
    }
    console.log(`chapter                                  kernel peak   CPU s   cores for ${a.learners} learners together, each within ${a.wait} s`);
    for (const c of s.chapters) console.log(`${c.name.padEnd(40)} ${c.peakMib.toFixed(0).padStart(7)} MiB ${c.cpuSeconds.toFixed(1).padStart(7)} ${c.cores.toFixed(1).padStart(8)}`);
    console.log(`memory per learner: guarantee ${s.guaranteeMib} MiB (${gib(s.guaranteeMib)}), limit ${s.limitMib} MiB (${gib(s.limitMib)}) (notebook server ${s.serverMib} MiB, headroom ×${HEADROOM})`);
    console.log(`z2jh: singleuser.memory.guarantee: ${s.guaranteeMib}M, singleuser.memory.limit: ${s.limitMib}M`);
  } catch (e) {
    console.error(`hub-sizing: ${e.message}`);
    process.exit(1);
  }
}
