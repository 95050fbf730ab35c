import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

/** The dashboard's files (apps/live/dashboard). */
export const DASHBOARD_DIR = path.resolve(__dirname, '../../dashboard');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Everything the page needs comes from this server: no CDN, no external font, no inline script.
 * connect-src 'self' covers the WebSocket to the same host and port.
 */
/** Headers of every HTTP response of the server, errors included. */
export const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** A static file held in memory. */
interface StaticFile {
  type: string;
  body: Buffer;
}

/**
 * The dashboard's files, read once into memory: a fixed set of names (no path from a request ever
 * reaches the file system), `/` meaning index.html.
 */
export class StaticFiles {
  private readonly files = new Map<string, StaticFile>();

  constructor(dir: string = DASHBOARD_DIR) {
    for (const name of readdirSync(dir)) {
      const type = CONTENT_TYPES[path.extname(name)];
      if (type) this.files.set(`/${name}`, { type, body: readFileSync(path.join(dir, name)) });
    }
    if (!this.files.has('/index.html')) throw new Error(`dashboard folder ${dir} has no index.html`);
  }

  /** Answers GET/HEAD for a known file, 404 otherwise, 405 for other methods. */
  serve(method: string | undefined, urlPath: string, res: ServerResponse): void {
    if (method !== 'GET' && method !== 'HEAD') {
      res
        .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain', ...SECURITY_HEADERS })
        .end('method not allowed\n');
      return;
    }
    const file = this.files.get(urlPath === '/' ? '/index.html' : urlPath);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length, ...SECURITY_HEADERS });
    res.end(method === 'HEAD' ? undefined : file.body);
  }
}
