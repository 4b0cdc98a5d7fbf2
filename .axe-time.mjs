// ../../tmp/axe-time.ts
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

// scripts/serve.mjs
import { createServer } from "node:http";
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
var TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".bin": "application/octet-stream",
  ".ico": "image/x-icon",
  ".webp": "image/webp"
};
var SECURITY_HEADERS = {
  "Content-Security-Policy": [
    "default-src 'self'",
    // blob: lets tfjs's threaded WASM workers importScripts() the backend they are handed as a Blob.
    "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors *"
  ].join("; "),
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "X-Content-Type-Options": "nosniff"
};
var COMPRESSIBLE = /* @__PURE__ */ new Set([".html", ".js", ".css", ".json", ".txt", ".svg"]);
var gzipped = /* @__PURE__ */ new Map();
function gzipOf(file, mtimeMs) {
  const hit = gzipped.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.body;
  const body = gzipSync(readFileSync(file));
  gzipped.set(file, { mtimeMs, body });
  return body;
}
function serve({ root = "out", port = 0, headers = false } = {}) {
  const base = path.resolve(root);
  const server2 = createServer((req, res) => {
    const url2 = new URL(req.url ?? "/", "http://127.0.0.1");
    let file = path.join(base, decodeURIComponent(url2.pathname));
    if (!file.startsWith(base)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    const extra = headers ? SECURITY_HEADERS : {};
    if (!existsSync(file)) {
      const notFound = path.join(base, "404.html");
      res.writeHead(404, { "Content-Type": TYPES[".html"], ...extra });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else res.end("not found");
      return;
    }
    const type = TYPES[path.extname(file)] ?? "application/octet-stream";
    const st = statSync(file);
    const cache = {
      "Cache-Control": url2.pathname.startsWith("/_next/static/") ? "public, max-age=31536000, immutable" : "no-cache",
      "Last-Modified": st.mtime.toUTCString()
    };
    const since = Date.parse(req.headers["if-modified-since"] ?? "");
    if (Number.isFinite(since) && Math.floor(st.mtimeMs / 1e3) * 1e3 <= since) {
      res.writeHead(304, { ...cache, ...extra }).end();
      return;
    }
    if (COMPRESSIBLE.has(path.extname(file)) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
      const body = gzipOf(file, st.mtimeMs);
      res.writeHead(200, { "Content-Type": type, "Content-Encoding": "gzip", "Content-Length": body.length, Vary: "Accept-Encoding", ...cache, ...extra });
      res.end(req.method === "HEAD" ? void 0 : body);
      return;
    }
    res.writeHead(200, { "Content-Type": type, "Content-Length": st.size, ...cache, ...extra });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server2.listen(port, "127.0.0.1", () => {
      const { port: p } = server2.address();
      resolve({ server: server2, url: `http://127.0.0.1:${p}` });
    });
  });
}
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3e3);
  const { url: url2 } = await serve({ port, headers: process.argv.includes("--headers") });
  console.log(`Serving out/ at ${url2}/  (Ctrl-C to stop)`);
}

// ../../tmp/axe-time.ts
var { server, url } = await serve({ root: "/work/wt-tests/out", port: 0 });
var browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"] });
var ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
var page = await ctx.newPage();
for (const route of ["/training/optimizers/", "/training/overview/", "/training/optimizers/", "/embed/overview/", "/references/"]) {
  let t = Date.now();
  await page.goto(url + route, { waitUntil: "load" });
  const load = Date.now() - t;
  t = Date.now();
  await page.waitForLoadState("networkidle");
  const idle = Date.now() - t;
  t = Date.now();
  const r1 = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const full = Date.now() - t;
  t = Date.now();
  const r2 = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).exclude(".katex-html").analyze();
  const nok = Date.now() - t;
  t = Date.now();
  const r3 = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).disableRules(["color-contrast"]).analyze();
  const nocc = Date.now() - t;
  const nodes = await page.evaluate(() => document.querySelectorAll("*").length);
  console.log(route, { nodes, load, idle, full, noKatexHtml: nok, noContrast: nocc, v: [r1.violations.length, r2.violations.length, r3.violations.length] });
}
await browser.close();
server.close();
