// Test helper: a WebSocket client that records every server message and can wait for one.
import { WebSocket, type ClientOptions } from 'ws';
import { parseServerMessage, type ServerMessage } from '@digits/protocol';

export interface RecordingClient {
  ws: WebSocket;
  /** Every message received, validated against the protocol (an invalid one fails the wait). */
  messages: ServerMessage[];
  /** The next message of `type` not yet taken (waits up to timeoutMs). */
  next<T extends ServerMessage['type']>(type: T, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>>;
  /** Resolves with the close code when the connection closes. */
  closed: Promise<number>;
  send(value: unknown): void;
}

/** Opens a client; resolves when open, rejects with the HTTP status when the upgrade is refused. */
export function connectClient(url: string, options: ClientOptions = {}): Promise<RecordingClient> {
  const ws = new WebSocket(url, options);
  const messages: ServerMessage[] = [];
  const taken = new Set<number>();
  const waiters: (() => void)[] = [];
  let invalid: string | undefined;
  ws.on('message', (data) => {
    const r = parseServerMessage(data as Buffer);
    if (r.ok) messages.push(r.message);
    else invalid = r.error;
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const client: RecordingClient = {
    ws,
    messages,
    closed,
    send: (value) => ws.send(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value)),
    next(type, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no "${type}" message within ${timeoutMs} ms; got ${messages.map((m) => m.type).join(',')}`),
            ),
          timeoutMs,
        );
        const look = () => {
          if (invalid) return reject(new Error(`invalid server message: ${invalid}`));
          const i = messages.findIndex((m, k) => m.type === type && !taken.has(k));
          if (i >= 0) {
            taken.add(i);
            clearTimeout(timer);
            resolve(messages[i] as never);
          } else waiters.push(look);
        };
        look();
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}
