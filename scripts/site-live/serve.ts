// A tiny static file server on 127.0.0.1 for the site folder (`npm run site -- --serve`).
// It sets no special headers (no COOP/COEP), like GitHub Pages: what works here works there.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serve dir on 127.0.0.1:port (0 = any free port); resolves to the server and its base URL. */
export function serve(dir: string, port = 0): Promise<{ server: http.Server; url: string }> {
  const rootDir = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(rootDir, path.normalize(rel));
    if (!file.startsWith(rootDir)) return void res.writeHead(403).end('forbidden');
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${rel}`);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
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
