/**
 * Version of the message set in this library. The server sends it in `hello`; a client that speaks an
 * older or newer version should say so instead of guessing at fields. Bump it on any incompatible change.
 */
export const PROTOCOL_VERSION = 1;

/**
 * Largest client->server message accepted, in bytes of UTF-8 text (4,096). Client messages are tiny
 * (a subscription, a ping), so anything bigger is a mistake or abuse and is rejected before JSON parsing.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 4096;

/** Number of classes the recognizer tells apart: the digits 0-9. `probs` arrays have this length. */
export const DIGIT_COUNT = 10;

/** The streams a client can ask for in `hello`/`subscribe` `want`. `hello`, `status`, `error` always come. */
export const SUBSCRIBABLE_STREAMS = ['level', 'speech', 'prediction', 'spectrogram'] as const;
export type SubscribableStream = (typeof SUBSCRIBABLE_STREAMS)[number];
