// A tiny static file server on 127.0.0.1 for the site folder (`npm run site -- --serve`).
// isolate: send COOP/COEP (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy:
// require-corp), which make the pages cross-origin isolated, so lib's kernels share their work
// with a helper Web Worker (lib/nn/wasm/pool.browser.ts). Without them, as on GitHub Pages, the
// pages run lib on one thread; test/site/live.test.ts checks both give Node's numbers.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** Serve dir on 127.0.0.1:port (0 = any free port), with COOP/COEP if isolate; resolves to the server and its base URL. */
export function serve(dir: string, port = 0, opts: { isolate?: boolean } = {}): Promise<{ server: http.Server; url: string }> {
  const rootDir = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(rootDir, path.normalize(rel));
    if (!file.startsWith(rootDir)) return void res.writeHead(403).end('forbidden');
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${rel}`);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...(opts.isolate ? ISOLATION_HEADERS : {}) }).end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${a.port}/` });
    });
  });
}
