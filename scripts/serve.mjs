// A tiny static server for out/ on 127.0.0.1 (no dependency): used by `npm start`, the browser tests
// and the benchmark. `--headers` adds the Content-Security-Policy and the COOP/COEP headers that a
// static host should send (see README).
import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream', '.ico': 'image/x-icon', '.webp': 'image/webp',
};

export const SECURITY_HEADERS = {
  'Content-Security-Policy': [
    "default-src 'self'",
    // blob: tfjs's threaded WASM workers start from a Blob and importScripts() the Blob they are handed
    // (which loads the glue from /tfjs-wasm/, 'self'); see demos/runtime/tf.ts.
    "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors *",
  ].join('; '),
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
};

/** Text worth compressing; gzip output is kept per file and modification time. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.txt', '.svg']);
const gzipped = new Map();
function gzipOf(file, mtimeMs) {
  const hit = gzipped.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.body;
  const body = gzipSync(readFileSync(file));
  gzipped.set(file, { mtimeMs, body });
  return body;
}

/** Start serving `root`; resolves to { server, url }. Port 0 picks a free port. */
export function serve({ root = 'out', port = 0, headers = false } = {}) {
  const base = path.resolve(root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let file = path.join(base, decodeURIComponent(url.pathname));
    if (!file.startsWith(base)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const extra = headers ? SECURITY_HEADERS : {};
    if (!existsSync(file)) {
      const notFound = path.join(base, '404.html');
      res.writeHead(404, { 'Content-Type': TYPES['.html'], ...extra });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else res.end('not found');
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const st = statSync(file);
    // Caching as a static host does it: content-hashed chunks (Next's, and the island client's but for its
    // workers' fixed entry names) are immutable, everything else is revalidated (304 when unchanged), so a second
    // visit loads from the HTTP cache (the benchmark's "warm" start).
    const hashed = url.pathname.startsWith('/_next/static/') || (url.pathname.startsWith('/_islands/') && !url.pathname.endsWith('.worker.js'));
    const cache = {
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Last-Modified': st.mtime.toUTCString(),
    };
    const since = Date.parse(req.headers['if-modified-since'] ?? '');
    if (Number.isFinite(since) && Math.floor(st.mtimeMs / 1000) * 1000 <= since) {
      res.writeHead(304, { ...cache, ...extra }).end();
      return;
    }
    // Compressed like any static host does (KaTeX markup compresses ~10×: the 490 kB optimizers page is
    // ~43 kB on the wire), so Lighthouse and the browser tests see realistic transfer sizes.
    if (COMPRESSIBLE.has(path.extname(file)) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      const body = gzipOf(file, st.mtimeMs);
      res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', 'Content-Length': body.length, Vary: 'Accept-Encoding', ...cache, ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': st.size, ...cache, ...extra });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({ server, url: `http://127.0.0.1:${p}` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  const { url } = await serve({ port, headers: process.argv.includes('--headers') });
  console.log(`Serving out/ at ${url}/  (Ctrl-C to stop)`);
}
