import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Host names that mean "this machine only". */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether binding `host` keeps the server on this machine (no token needed). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Shortest token accepted on a non-loopback address (a guessable one would open the port to anyone). */
export const MIN_TOKEN_LENGTH = 16;

/** Why `token` may not guard a server bound to `host` (too short beyond loopback), or undefined when it
 * may. Checked by LiveServer.start and, before anything loads, by the CLI's option checks. */
export function tokenLengthProblem(host: string, token: string | undefined): string | undefined {
  if (isLoopbackHost(host) || token === undefined || token.length >= MIN_TOKEN_LENGTH) return undefined;
  return `the token is ${token.length} characters; at least ${MIN_TOKEN_LENGTH} are required to listen on ${host} (omit --token to have one generated)`;
}

/** A fresh access token: 24 random bytes, base64url (32 characters, URL-safe). */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares a presented token with the expected one in constant time (hashes make the lengths equal). */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** The host name of a Host header value ("127.0.0.1:8080" -> "127.0.0.1", "[::1]:80" -> "[::1]"). */
function hostName(hostHeader: string): string {
  const m = /^(\[[^\]]*\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim());
  return (m ? m[1] : hostHeader).toLowerCase();
}

/** Options of checkRequest. */
export interface AccessPolicy {
  /** The host the server is bound to. */
  bindHost: string;
  /** Origins allowed besides the page's own (e.g. "http://my-laptop:8080"). */
  allowedOrigins?: readonly string[];
}

/**
 * Why a request must be refused, or undefined when it may proceed.
 *
 * - Host: on a loopback-bound server the Host header must name this machine (localhost, 127.x, ::1),
 *   which defeats DNS rebinding: a web page whose domain suddenly resolves to 127.0.0.1 still sends its
 *   own host name.
 * - Origin (WebSocket upgrades only): a browser always sends it; it must be the page's own origin (same
 *   host:port as the Host header) or listed in allowedOrigins, so no other web site can open a socket to
 *   the recognizer from a visitor's browser. Clients without Origin (scripts, tests) pass this check.
 */
export function checkRequest(
  req: IncomingMessage,
  policy: AccessPolicy,
  isUpgrade: boolean,
): { status: number; reason: string } | undefined {
  const host = req.headers.host ?? '';
  if (isLoopbackHost(policy.bindHost) && !isLoopbackHost(hostName(host))) {
    // The Host value is not echoed: it is attacker-chosen text.
    return { status: 403, reason: 'the Host header does not name this machine' };
  }
  if (!isUpgrade) return undefined;
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  if (policy.allowedOrigins?.includes(origin)) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return { status: 403, reason: `malformed Origin ${JSON.stringify(origin)}` };
  }
  if (originHost.toLowerCase() !== host.toLowerCase()) {
    return { status: 403, reason: `Origin ${origin} is not allowed` };
  }
  return undefined;
}
