// Unpacking a submitted .zip, in-process and streaming (yauzl), with caps that count the bytes
// actually written (declared sizes are not trusted): total bytes, entries, compression ratio and
// time. Paths that leave the folder (yauzl refuses them), symlinks and other special entries
// are skipped. Every callback yauzl and the streams call is guarded: a throw there (a file and a
// folder of one name, a NUL byte in a name) would escape the promise and end the grader, so it
// rejects the zip instead, and the folder is removed.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yauzl from 'yauzl';

export interface ZipCaps {
  totalBytes: number;
  entries: number;
  /** Largest uncompressed/compressed ratio of an entry over 1 MB. */
  ratio: number;
  ms: number;
}

export const ZIP_CAPS: ZipCaps = { totalBytes: 50 * 1024 * 1024, entries: 2000, ratio: 200, ms: 30000 };
/**
 * The zip given on the command line may be a whole class ("download all submissions": a
 * notebook with its outputs per learner, or a zip each): room for a class, the same ratio cap
 * per entry. Each learner's own zip inside it is unpacked later with ZIP_CAPS.
 */
export const CLASS_ZIP_CAPS: ZipCaps = { totalBytes: 512 * 1024 * 1024, entries: 20000, ratio: 200, ms: 120000 };

export class ArchiveError extends Error {}

/** Extract `file` into a fresh temp folder; rejects with an ArchiveError naming the cap it broke. */
export function unzip(file: string, caps: ZipCaps = ZIP_CAPS): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-zip-'));
  const name = path.basename(file);
  return new Promise<string>((resolve, reject) => {
    let zip: yauzl.ZipFile | null = null;
    let total = 0;
    let count = 0;
    let finished = false;
    const fail = (msg: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      zip?.close();
      fs.rmSync(dir, { recursive: true, force: true });
      reject(new ArchiveError(`${name}: ${msg}`));
    };
    const timer = setTimeout(() => fail(`unpacking took longer than ${caps.ms / 1000} s`), caps.ms);
    /** `f` as a callback that turns any throw into the zip's refusal. */
    const guard = <A extends unknown[]>(what: () => string, f: (...a: A) => void) => (...a: A): void => {
      try {
        f(...a);
      } catch (e) {
        fail(`${what()} (${e instanceof Error ? e.message : 'error'})`);
      }
    };
    const entryName = (entry: yauzl.Entry) => JSON.stringify(entry.fileName);
    const unreadable = () => 'not a readable zip file';
    yauzl.open(file, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false }, guard(unreadable, (err: Error | null, z?: yauzl.ZipFile) => {
      if (err || !z) return fail(`not a readable zip file (${err?.message ?? 'unknown error'})`);
      zip = z;
      z.on('error', (e: Error) => fail(`not a readable zip file (${e.message})`));
      z.on('end', guard(unreadable, () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        resolve(dir);
      }));
      z.on('entry', (entry: yauzl.Entry) => guard(() => `cannot unpack ${entryName(entry)}`, () => {
        if (finished) return;
        // A NUL byte ends a name for the file system: two different entries could land on one file.
        if (entry.fileName.includes('\0')) return fail(`entry ${entryName(entry)} has a NUL byte in its name`);
        if (++count > caps.entries) return fail(`more than ${caps.entries} entries`);
        const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
        const dest = path.join(dir, entry.fileName);
        if (!dest.startsWith(dir + path.sep)) return fail(`entry ${JSON.stringify(entry.fileName)} points outside the folder`);
        if (/\/$/.test(entry.fileName)) {
          const at = dest.replace(/\/+$/, '');
          if (fs.existsSync(at) && !fs.lstatSync(at).isDirectory()) return fail(`entry ${entryName(entry)} is a folder, but a file of that name came first`);
          fs.mkdirSync(dest, { recursive: true });
          return z.readEntry();
        }
        if (mode !== 0 && mode !== 0o100000) return z.readEntry(); // symlinks, devices: skipped
        if (fs.existsSync(dest)) return fail(`entry ${entryName(entry)} is given twice, or is a file where a folder of that name came first`);
        z.openReadStream(entry, guard(() => `cannot unpack ${entryName(entry)}`, (e: Error | null, stream?: import('stream').Readable) => {
          if (finished) return;
          if (e || !stream) return fail(`cannot read ${entry.fileName} (${e?.message ?? 'no stream'})`);
          fs.mkdirSync(path.dirname(dest), { recursive: true });
          const out = fs.createWriteStream(dest, { mode: 0o600 });
          let mine = 0;
          stream.on('data', guard(() => `cannot unpack ${entryName(entry)}`, (b: Buffer) => {
            mine += b.length;
            total += b.length;
            if (total > caps.totalBytes) {
              stream.destroy();
              out.destroy();
              return fail(`unpacks to more than ${caps.totalBytes / 1024 / 1024} MB`);
            }
            if (mine > 1024 * 1024 && mine / Math.max(1, entry.compressedSize) > caps.ratio) {
              stream.destroy();
              out.destroy();
              return fail(`${entry.fileName} expands more than ${caps.ratio} times (a zip bomb?)`);
            }
          }));
          stream.on('error', (se: Error) => {
            out.destroy();
            fail(`cannot read ${entry.fileName} (${se.message})`);
          });
          out.on('error', (oe: Error) => fail(`cannot write ${entry.fileName} (${oe.message})`));
          out.on('finish', guard(() => `cannot unpack ${entryName(entry)}`, () => {
            if (!finished) z.readEntry();
          }));
          stream.pipe(out);
        }));
      })());
      z.readEntry();
    }));
  });
}
