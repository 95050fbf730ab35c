/**
 * Version of the message set in this library. The server sends it in `hello`; a client that speaks an
 * older or newer version should say so instead of guessing at fields. Bump it on any incompatible change.
 * Version 2 added enrolment ("teach it my voice") and the `model` message; version 3 the `digits` message
 * (a finished digit string) and `model.recognizes`.
 */
export const PROTOCOL_VERSION = 3;

/**
 * Largest client->server message accepted, in bytes of UTF-8 text (4,096). Client messages are tiny
 * (a subscription, a ping), so anything bigger is a mistake or abuse and is rejected before JSON parsing.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 4096;

/** Number of classes the recognizer tells apart: the digits 0-9. `probs` arrays have this length. */
export const DIGIT_COUNT = 10;

/** The streams a client can ask for in `hello`/`subscribe` `want`. `hello`, `status`, `error` always come. */
export const SUBSCRIBABLE_STREAMS = ['level', 'speech', 'prediction', 'digits', 'spectrogram'] as const;
export type SubscribableStream = (typeof SUBSCRIBABLE_STREAMS)[number];

/** Takes per digit an enrolment may ask for, at most (so a session holds at most 50 takes). */
export const ENROL_MAX_TAKES_PER_DIGIT = 5;
/** Takes per digit when `enrol-start` does not say. */
export const ENROL_DEFAULT_TAKES_PER_DIGIT = 3;
/** Longest voice name; names are folder names, hence VOICE_NAME_PATTERN (@digits/voice's rule, which a test pins). */
export const MAX_VOICE_NAME_LENGTH = 40;
export const VOICE_NAME_PATTERN = /^[a-z0-9_-]+$/;
/** Values in a take's thumbnail (its peak envelope). */
export const ENROL_THUMBNAIL_POINTS = 48;
/** A take is played back as 16-bit PCM at this rate, cut to ENROL_AUDIO_MAX_MS: a bounded message. */
export const ENROL_AUDIO_SAMPLE_RATE = 16000;
export const ENROL_AUDIO_MAX_MS = 1500;
/** Base64 length of the longest take audio (1.5 s of 16-bit samples at 16 kHz = 48,000 bytes). */
export const ENROL_AUDIO_MAX_BASE64 = 4 * Math.ceil((((ENROL_AUDIO_SAMPLE_RATE * ENROL_AUDIO_MAX_MS) / 1000) * 2) / 3);
/** Personal voices listed in a `model` message, at most. */
export const MAX_LISTED_VOICES = 50;
