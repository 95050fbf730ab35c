import http from 'node:http';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import {
  MAX_CLIENT_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  SUBSCRIBABLE_STREAMS,
  parseClientMessage,
  serializeServerMessage,
  type ClientMessage,
  type EnrolClientMessage,
  type ErrorMessage,
  type HelloServerMessage,
  type ServerMessage,
  type StatusMessage,
  type SubscribableStream,
} from '@digits/protocol';
import { checkRequest, isLoopbackHost, MIN_TOKEN_LENGTH, tokenLengthProblem, tokenMatches } from './access-control';
import { StaticFiles, DASHBOARD_DIR, SECURITY_HEADERS } from './static-files';

export { MIN_TOKEN_LENGTH };

/** Path of the WebSocket endpoint. */
export const WS_PATH = '/ws';

/** Options of LiveServer.start. */
export interface LiveServerOptions {
  /** Address to bind. Default 127.0.0.1 (this machine only). Anything else requires `token`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Access token clients must present (`?token=` on the page and socket URL, or in their hello).
   * Required when `host` is not a loopback address. Default: none. */
  token?: string;
  /** Origins allowed to open the socket besides the dashboard's own. Default none. */
  allowedOrigins?: readonly string[];
  /** Folder of the dashboard's files. Default apps/live/dashboard. */
  dashboardDir?: string;
  /** The hello message for a new connection (model, feature config, source). */
  hello: () => HelloServerMessage;
  /** Level and spectrogram messages are dropped for a client while its send buffer (ws.bufferedAmount)
   * holds more than this many bytes, in bytes. Default 262,144 (256 KiB). */
  dropAboveBytes?: number;
  /** A client whose send buffer exceeds this is disconnected (it would otherwise hold predictions in
   * memory without end; the dashboard reconnects), in bytes. Default 16 MiB. */
  disconnectAboveBytes?: number;
  /** Frames larger than this close the connection outright (ws maxPayload), in bytes. Messages between
   * MAX_CLIENT_MESSAGE_BYTES (4 KiB) and this get an error reply instead. Default 65,536. */
  maxFrameBytes?: number;
  /** Time a connection may take to present its token, in ms. Default 10,000. */
  authTimeoutMs?: number;
  /** WebSocket connections open at once; further ones get a 503. Default 128. */
  maxClients?: number;
  /** Messages a client may send per second on average (a token bucket); a client above it is closed
   * with code 1008, so a flood cannot stall the others. Default 50. */
  messagesPerSecond?: number;
  /** Messages a client may send in a burst above messagesPerSecond. Default 100. */
  messageBurst?: number;
  /** Predictions, and finished digit strings (`digits`), replayed to a new connection for its history: at
   * most this many of each. Default 20. */
  historySize?: number;
  /** Where notes go (refused connections, slow clients). Default: stderr. */
  log?: (line: string) => void;
  /** Messages a new connection gets after its hello, status and history (the model in use, the enrolment). */
  welcome?: () => ServerMessage[];
  /** Handles the enrolment and model requests (`enrol-*`, `use-model`); `reply` answers that client only.
   * Without it they get an error reply. */
  onEnrolMessage?: (message: EnrolClientMessage, reply: (message: ServerMessage) => void) => void;
}

/** Counters of what was sent and dropped, by message type. */
export interface LiveServerStats {
  clients: number;
  sent: Partial<Record<ServerMessage['type'], number>>;
  dropped: Partial<Record<ServerMessage['type'], number>>;
  /** Clients disconnected for letting their send buffer grow past disconnectAboveBytes. */
  disconnectedSlow: number;
}

interface Client {
  ws: WebSocket;
  authenticated: boolean;
  want: Set<SubscribableStream>;
  authTimer?: NodeJS.Timeout;
  /** Token bucket of the message rate limit: tokens left, and when it was last refilled (ms). */
  tokens: number;
  refilledAt: number;
}

/** Which subscribable stream a message belongs to; hello, status, error and pong always go out. */
function streamOf(message: ServerMessage): SubscribableStream | undefined {
  return (SUBSCRIBABLE_STREAMS as readonly string[]).includes(message.type)
    ? (message.type as SubscribableStream)
    : undefined;
}

/** The request target as a URL, or undefined when `new URL` rejects it (e.g. `//[`): that must be a 400,
 * not an exception that stops the server. */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** Messages that may be dropped for a slow client: frequent, and superseded by the next one. */
const DROPPABLE: ReadonlySet<ServerMessage['type']> = new Set(['level', 'spectrogram']);

/**
 * The live recognizer's server: one port, plain node http for the dashboard's files and `ws` for a
 * WebSocket at /ws that pushes typed JSON messages of @digits/protocol.
 *
 * Safety: binds 127.0.0.1 by default; on any other address a token is required. Host and Origin headers
 * are checked (see checkRequest), frames above maxFrameBytes close the connection, every client message
 * is validated (parseClientMessage: size cap of 4 KiB, schema) and a bad one gets an `error` reply, never
 * a crash. Slow clients never slow the others or the capture: sending never waits, and per client,
 * level and spectrogram messages are dropped while its send buffer is above dropAboveBytes; predictions,
 * speech, status and errors are never dropped.
 */
export class LiveServer {
  private readonly clients = new Set<Client>();
  /** Recent predictions and digits messages, serialised, in the order they were sent (historySize of each). */
  private readonly history: { type: 'prediction' | 'digits'; text: string }[] = [];
  private status: StatusMessage = { type: 'status', state: 'starting' };
  private readonly counters: LiveServerStats = { clients: 0, sent: {}, dropped: {}, disconnectedSlow: 0 };
  private readonly log: (line: string) => void;

  private boundPort = 0;

  private constructor(
    private readonly http: http.Server,
    private readonly wss: WebSocketServer,
    private readonly options: LiveServerOptions & { host: string },
  ) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    const policy = { bindHost: options.host, allowedOrigins: options.allowedOrigins };
    http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head, policy));
  }

  /** The port actually bound. */
  get port(): number {
    return this.boundPort;
  }

  /** Starts listening; rejects when the port is taken or a token is missing for a non-loopback host. */
  static async start(options: LiveServerOptions): Promise<LiveServer> {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopbackHost(host) && !options.token) {
      throw new Error(`a token is required to listen on ${host} (anyone who can reach it could listen in)`);
    }
    const tokenProblem = tokenLengthProblem(host, options.token);
    if (tokenProblem) throw new Error(tokenProblem);
    const files = new StaticFiles(options.dashboardDir ?? DASHBOARD_DIR);
    const policy = { bindHost: host, allowedOrigins: options.allowedOrigins };
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes ?? 65536,
      perMessageDeflate: false,
    });
    const server = http.createServer((req, res) => {
      const refusal = checkRequest(req, policy, false);
      if (refusal) {
        res.writeHead(refusal.status, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS }).end(`${refusal.reason}\n`);
        return;
      }
      const url = parseTarget(req.url);
      if (!url) {
        res.writeHead(400, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS }).end('malformed request target\n');
        return;
      }
      files.serve(req.method, url.pathname, res);
    });
    // A malformed request gets a 400 rather than a silently dropped connection.
    server.on('clientError', (_err, socket: Duplex) => {
      if (socket.writable)
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nmalformed request\n',
        );
      else socket.destroy();
    });
    const live = new LiveServer(server, wss, { ...options, host });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(`port ${options.port ?? 8080} on ${host} is already in use (choose another with --port)`)
            : err,
        ),
      );
      server.listen(options.port ?? 8080, host, () => resolve());
    });
    const address = server.address();
    live.boundPort = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
    return live;
  }

  /** Addresses where the dashboard can be opened (with `?token=` when one is required). */
  get urls(): string[] {
    const host = this.options.host ?? '127.0.0.1';
    const query = this.options.token ? `?token=${encodeURIComponent(this.options.token)}` : '';
    let hosts = [host];
    if (host === '0.0.0.0' || host === '::') {
      hosts = Object.values(os.networkInterfaces())
        .flat()
        .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === 'IPv4')
        .map((a) => a.address);
    }
    return hosts.map((h) => `http://${h.includes(':') ? `[${h}]` : h}:${this.port}/${query}`);
  }

  /** Counters of sent and dropped messages (a snapshot). */
  stats(): LiveServerStats {
    return {
      ...this.counters,
      clients: this.clients.size,
      sent: { ...this.counters.sent },
      dropped: { ...this.counters.dropped },
    };
  }

  /**
   * Sends `message` to every authenticated client that wants its stream. Validated and serialised once.
   * Level and spectrogram messages skip clients whose send buffer is above dropAboveBytes.
   * Status messages are remembered for new connections; predictions and digit strings are kept for their history.
   */
  broadcast(message: ServerMessage): void {
    const text = serializeServerMessage(message);
    if (message.type === 'status') this.status = message;
    if (message.type === 'prediction' || message.type === 'digits') this.remember(message.type, text);
    const stream = streamOf(message);
    const droppable = DROPPABLE.has(message.type);
    const dropAbove = this.options.dropAboveBytes ?? 262144;
    for (const client of this.clients) {
      if (!client.authenticated || (stream && !client.want.has(stream))) continue;
      if (droppable && client.ws.bufferedAmount > dropAbove) {
        this.count('dropped', message.type);
        continue;
      }
      this.sendText(client, text, message.type);
    }
  }

  /** Resolves once every client's send buffer is empty, or after timeoutMs. */
  async flush(timeoutMs = 2000): Promise<void> {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until && [...this.clients].some((c) => c.ws.bufferedAmount > 0)) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Closes every connection (1001 "going away") and stops listening. */
  async close(): Promise<void> {
    for (const client of this.clients) {
      clearTimeout(client.authTimer);
      client.ws.close(1001, 'server shutting down');
    }
    await new Promise<void>((resolve) => {
      this.wss.close(() => resolve());
    });
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
  }

  private upgrade(
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    policy: Parameters<typeof checkRequest>[1],
  ): void {
    const refuse = (status: number, reason: string) => {
      this.log(`live: refused a WebSocket from ${req.socket.remoteAddress}: ${reason}`);
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`,
      );
    };
    const url = parseTarget(req.url);
    if (!url) return refuse(400, 'malformed request target');
    if (url.pathname !== WS_PATH) return refuse(404, `no WebSocket at ${url.pathname} (use ${WS_PATH})`);
    // Access first (403, 401), then capacity (503): a request that may not connect at all learns that,
    // whether or not the server is full.
    const refusal = checkRequest(req, policy, true);
    if (refusal) return refuse(refusal.status, refusal.reason);
    const presented = url.searchParams.get('token');
    const { token } = this.options;
    if (token && presented !== null && !tokenMatches(token, presented)) return refuse(401, 'wrong token');
    const maxClients = this.options.maxClients ?? 128;
    if (this.clients.size >= maxClients)
      return refuse(503, `the server already has ${maxClients} connections (its limit)`);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, !token || presented !== null));
  }

  private accept(ws: WebSocket, authenticated: boolean): void {
    const client: Client = {
      ws,
      authenticated: false,
      want: new Set(SUBSCRIBABLE_STREAMS),
      tokens: this.options.messageBurst ?? 100,
      refilledAt: performance.now(),
    };
    this.clients.add(client);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => this.forget(client));
    ws.on('message', (data, isBinary) => this.receive(client, data as Buffer, isBinary));
    if (authenticated) this.welcome(client);
    else {
      // Token required but not in the URL: the client has authTimeoutMs to send it in its hello.
      client.authTimer = setTimeout(() => {
        this.reply(client, { type: 'error', code: 'unauthorized', message: 'no token presented in time' });
        ws.close(4401, 'unauthorized');
      }, this.options.authTimeoutMs ?? 10000);
    }
  }

  /** Drops every reference the server holds to a client (its slot, its auth timer, its message handler). */
  private forget(client: Client): void {
    clearTimeout(client.authTimer);
    client.authTimer = undefined;
    client.ws.removeAllListeners('message');
    this.clients.delete(client);
  }

  private remember(type: 'prediction' | 'digits', text: string): void {
    this.history.push({ type, text });
    const ofType = this.history.filter((h) => h.type === type);
    if (ofType.length > (this.options.historySize ?? 20)) this.history.splice(this.history.indexOf(ofType[0]), 1);
  }

  /** A client is in: hello, the current status, then recent predictions and digit strings for its history. */
  private welcome(client: Client): void {
    clearTimeout(client.authTimer);
    client.authenticated = true;
    this.sendText(client, serializeServerMessage(this.options.hello()), 'hello');
    this.sendText(client, serializeServerMessage(this.status), 'status');
    for (const { type, text } of this.history) this.sendText(client, text, type);
    try {
      for (const m of this.options.welcome?.() ?? []) this.sendText(client, serializeServerMessage(m), m.type);
    } catch (err) {
      this.log(`live: welcome messages not sent: ${(err as Error).message}`);
    }
  }

  private receive(client: Client, data: Buffer, isBinary: boolean): void {
    if (!this.takeToken(client)) {
      this.log(`live: closing a client that sent more than ${this.options.messagesPerSecond ?? 50} messages/s`);
      client.ws.close(1008, 'too many messages');
      // Its handler must not keep running for the rest of the flood.
      client.ws.removeAllListeners('message');
      return;
    }
    if (isBinary)
      return this.reply(client, {
        type: 'error',
        code: 'bad-message',
        message: 'binary messages are not accepted; send JSON text',
      });
    const parsed = parseClientMessage(data);
    if (!parsed.ok) {
      const code = data.length > MAX_CLIENT_MESSAGE_BYTES ? 'too-large' : 'bad-message';
      return this.reply(client, { type: 'error', code, message: parsed.error });
    }
    this.handle(client, parsed.message);
  }

  private handle(client: Client, message: ClientMessage): void {
    const { token } = this.options;
    if (message.type === 'ping') {
      if (client.authenticated) this.sendText(client, serializeServerMessage({ type: 'pong', id: message.id }), 'pong');
      return;
    }
    if (message.type !== 'hello' && message.type !== 'subscribe') return this.handleEnrol(client, message);
    if (
      message.type === 'hello' &&
      message.protocolVersion !== undefined &&
      message.protocolVersion !== PROTOCOL_VERSION
    ) {
      return this.reply(client, {
        type: 'error',
        code: 'protocol-version',
        message: `this server speaks protocol version ${PROTOCOL_VERSION}, the client ${message.protocolVersion}; reload the page`,
      });
    }
    if (token && message.token !== undefined && !tokenMatches(token, message.token)) {
      this.reply(client, { type: 'error', code: 'unauthorized', message: 'wrong token' });
      client.ws.close(4401, 'unauthorized');
      return;
    }
    if (message.want) client.want = new Set(message.want);
    if (!client.authenticated) {
      if (token && message.token === undefined) {
        return this.reply(client, {
          type: 'error',
          code: 'unauthorized',
          message: 'this server needs a token: open the URL it printed',
        });
      }
      this.welcome(client);
    }
  }

  private handleEnrol(client: Client, message: EnrolClientMessage): void {
    if (!client.authenticated)
      return this.reply(client, { type: 'error', code: 'unauthorized', message: 'say hello (with the token) first' });
    const handler = this.options.onEnrolMessage;
    if (!handler)
      return this.reply(client, { type: 'error', code: 'unsupported', message: 'this server does not enrol voices' });
    const reply = (m: ServerMessage) => this.sendText(client, serializeServerMessage(m), m.type);
    try {
      handler(message, reply);
    } catch (err) {
      this.log(`live: ${message.type} failed: ${(err as Error).message}`);
      this.reply(client, {
        type: 'error',
        code: 'internal',
        message: `${message.type} failed: ${(err as Error).message}`,
      });
    }
  }

  /** Takes one token of the client's bucket; false when it is empty. */
  private takeToken(client: Client): boolean {
    const now = performance.now();
    const rate = this.options.messagesPerSecond ?? 50;
    const burst = this.options.messageBurst ?? 100;
    client.tokens = Math.min(burst, client.tokens + ((now - client.refilledAt) / 1000) * rate);
    client.refilledAt = now;
    if (client.tokens < 1) return false;
    client.tokens -= 1;
    return true;
  }

  private reply(client: Client, message: ErrorMessage): void {
    this.sendText(client, serializeServerMessage(message), 'error');
  }

  private sendText(client: Client, text: string, type: ServerMessage['type']): void {
    const { ws } = client;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > (this.options.disconnectAboveBytes ?? 16 * 1024 * 1024)) {
      this.counters.disconnectedSlow++;
      this.log(`live: disconnecting a client that stopped reading (${ws.bufferedAmount} bytes waiting)`);
      // Forget it now, not at its 'close' event: nothing here may keep its send buffer reachable. terminate()
      // destroys the socket, which releases the buffered writes (V8 reclaims them at its next GC).
      this.forget(client);
      ws.terminate();
      return;
    }
    ws.send(text);
    this.count('sent', type);
  }

  private count(kind: 'sent' | 'dropped', type: ServerMessage['type']): void {
    const table = this.counters[kind];
    table[type] = (table[type] ?? 0) + 1;
  }
}
