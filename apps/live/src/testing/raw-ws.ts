// Test helper: a WebSocket client made of a plain TCP socket, for what `ws` would never send (malformed
// frames) or never do (stop reading the socket).
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawWebSocket {
  socket: net.Socket;
  /** Everything the server sent after its 101 response, as it arrives (while the socket is read). */
  received: Buffer[];
  /** Resolves when the server has closed the connection (or it was destroyed). */
  closed: Promise<void>;
}

/** Opens a TCP connection to 127.0.0.1:port and completes the WebSocket upgrade of `path`; rejects with the
 * status line when the server refuses it. With `paused`, nothing is read after the 101 response. */
export function rawUpgrade(port: number, options: { path?: string; paused?: boolean } = {}): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(
        `GET ${options.path ?? '/ws'} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!statusLine.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        return reject(new Error(`upgrade refused: ${statusLine}`));
      }
      if (head.length > end + 4) received.push(head.subarray(end + 4));
      if (options.paused) socket.pause();
      else socket.on('data', (d: Buffer) => received.push(d));
      resolve({ socket, received, closed });
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('the connection closed during the upgrade')));
  });
}

/** One WebSocket frame as a client would send it: masked (unless `mask: false`), FIN set unless `fin: false`.
 * `length` overrides the payload length field (to announce more than is sent). */
export function frame(
  opcode: number,
  payload: Buffer | string,
  options: { fin?: boolean; mask?: boolean; length?: number } = {},
): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const length = options.length ?? data.length;
  const masked = options.mask ?? true;
  const first = ((options.fin ?? true) ? 0x80 : 0) | (opcode & 0x0f);
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, data]);
  const key = randomBytes(4);
  const body = Buffer.from(data);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([header, key, body]);
}

/** The close code of the first close frame (opcode 8) in what the server sent, if there is one. */
export function closeCode(received: readonly Buffer[]): number | undefined {
  const all = Buffer.concat(received);
  for (let p = 0; p + 2 <= all.length;) {
    const opcode = all[p] & 0x0f;
    let length = all[p + 1] & 0x7f;
    let start = p + 2;
    if (length === 126) {
      length = all.readUInt16BE(p + 2);
      start = p + 4;
    } else if (length === 127) {
      length = Number(all.readBigUInt64BE(p + 2));
      start = p + 10;
    }
    if (opcode === 8) return length >= 2 && start + 2 <= all.length ? all.readUInt16BE(start) : 1005;
    p = start + length;
  }
  return undefined;
}
