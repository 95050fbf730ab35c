import type { z } from 'zod';
import { MAX_CLIENT_MESSAGE_BYTES } from './constants';
import { ClientMessageSchema, type ClientMessage } from './client-messages';
import { ServerMessageSchema, type ServerMessage } from './server-messages';

/** Outcome of parsing one message: the typed message, or a readable error that names the field. */
export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/** At most this many problems are listed in one error; the first usually explains the rest. */
const MAX_LISTED_ISSUES = 3;

/** `probs[3]`, `model.name`, ... from a zod issue path. */
function fieldName(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describeIssues(error: z.ZodError, value: unknown): string {
  const type =
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
      ? (value as { type: string }).type
      : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return `invalid message: expected a JSON object with a "type" field, got ${got}`;
  }
  const first = error.issues[0];
  if (first?.code === 'invalid_union_discriminator') {
    const got = type !== undefined ? `"${type}"` : 'missing';
    return `unknown message type ${got}: expected ${first.options.map((o) => JSON.stringify(o)).join(', ')}`;
  }
  const listed = error.issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const field = fieldName(issue.path);
    return field ? `field "${field}": ${issue.message}` : issue.message;
  });
  const more = error.issues.length > MAX_LISTED_ISSUES ? ` (and ${error.issues.length - MAX_LISTED_ISSUES} more)` : '';
  return `${type !== undefined ? `invalid "${type}" message` : 'invalid message'}: ${listed.join('; ')}${more}`;
}

/** Text from a WebSocket payload: string as is, bytes as UTF-8 (TextDecoder exists in browsers and Node). */
function payloadText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (input instanceof ArrayBuffer) return new TextDecoder().decode(input);
  if (ArrayBuffer.isView(input)) return new TextDecoder().decode(input);
  return undefined;
}

function parseJsonText(text: string): ParseResult<unknown> {
  try {
    return { ok: true, message: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
}

function validate<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): ParseResult<T> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: describeIssues(r.error, value) };
}

/**
 * Validates a server->client message. `json` is either JSON text (string, or UTF-8 bytes as
 * ArrayBuffer/typed array, as a WebSocket delivers it) or an already parsed value.
 *
 * @example
 * ws.onmessage = (ev) => {
 *   const r = parseServerMessage(ev.data);
 *   if (!r.ok) return console.warn(r.error); // e.g. 'invalid "prediction" message: field "probs": ...'
 *   if (r.message.type === 'prediction') show(r.message.digit);
 * };
 */
export function parseServerMessage(json: unknown): ParseResult<ServerMessage> {
  const text = payloadText(json);
  if (text !== undefined) {
    const parsed = parseJsonText(text);
    return parsed.ok ? validate(ServerMessageSchema, parsed.message) : parsed;
  }
  return validate(ServerMessageSchema, json);
}

/**
 * Validates a client->server message: `hello`, `subscribe` or `ping`; anything else, anything malformed
 * and any text longer than MAX_CLIENT_MESSAGE_BYTES (4,096 bytes of UTF-8) is an error result. Pass the
 * raw payload (string or bytes) so the size check happens before JSON parsing; an already parsed value is
 * validated as is.
 */
export function parseClientMessage(json: unknown): ParseResult<ClientMessage> {
  if (typeof json === 'string' || json instanceof ArrayBuffer || ArrayBuffer.isView(json)) {
    // A string's UTF-8 size is at most 3 bytes per UTF-16 unit, so the exact count is only needed near the limit.
    const bytes =
      typeof json === 'string'
        ? json.length * 3 <= MAX_CLIENT_MESSAGE_BYTES
          ? json.length
          : new TextEncoder().encode(json).length
        : json.byteLength;
    if (bytes > MAX_CLIENT_MESSAGE_BYTES) {
      return { ok: false, error: `message too large: ${bytes} bytes, at most ${MAX_CLIENT_MESSAGE_BYTES} allowed` };
    }
    const parsed = parseJsonText(payloadText(json) as string);
    return parsed.ok ? validate(ClientMessageSchema, parsed.message) : parsed;
  }
  return validate(ClientMessageSchema, json);
}

/**
 * JSON text of a server message after validating it, so the server never sends what the dashboard
 * would reject. Throws an Error with the same readable description as parseServerMessage.
 */
export function serializeServerMessage(message: ServerMessage): string {
  const r = validate(ServerMessageSchema, message);
  if (!r.ok) throw new Error(r.error);
  return JSON.stringify(r.message);
}
