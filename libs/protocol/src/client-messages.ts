import { z } from 'zod';
import { SUBSCRIBABLE_STREAMS } from './constants';
import {
  EnrolCancelMessageSchema,
  EnrolFinishMessageSchema,
  EnrolPlayMessageSchema,
  EnrolRedoMessageSchema,
  EnrolStartMessageSchema,
  UseModelMessageSchema,
} from './enrol-messages';

/** Streams wanted; an absent `want` means all of them. Duplicates are harmless. */
const want = z.array(z.enum(SUBSCRIBABLE_STREAMS)).max(SUBSCRIBABLE_STREAMS.length * 2);
/** Access token if the server asks for one (opaque to the protocol). */
const token = z.string().min(1).max(512);

/** A client introducing itself, optionally with a token and the streams it wants. */
export const HelloClientMessageSchema = z
  .object({
    type: z.literal('hello'),
    /** The client's PROTOCOL_VERSION, so the server can refuse a mismatch clearly. */
    protocolVersion: z.number().int().positive().optional(),
    token: token.optional(),
    want: want.optional(),
  })
  .strict();

/** Change what this connection receives (same fields as hello, without the version). */
export const SubscribeMessageSchema = z
  .object({
    type: z.literal('subscribe'),
    token: token.optional(),
    want: want.optional(),
  })
  .strict();

/** Liveness check; the server answers `pong` with the same `id`. */
export const PingMessageSchema = z
  .object({
    type: z.literal('ping'),
    id: z.union([z.string().max(64), z.number().finite()]).optional(),
  })
  .strict();

/** Any client->server message, told apart by `type`. Anything else is rejected. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  HelloClientMessageSchema,
  SubscribeMessageSchema,
  PingMessageSchema,
  EnrolStartMessageSchema,
  EnrolRedoMessageSchema,
  EnrolPlayMessageSchema,
  EnrolCancelMessageSchema,
  EnrolFinishMessageSchema,
  UseModelMessageSchema,
]);

export type HelloClientMessage = z.infer<typeof HelloClientMessageSchema>;
export type SubscribeMessage = z.infer<typeof SubscribeMessageSchema>;
export type PingMessage = z.infer<typeof PingMessageSchema>;
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
