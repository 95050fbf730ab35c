#!/usr/bin/env node
// The `digits` command. Sources are TypeScript, run through tsx so that `npx digits` works right after
// `npm ci` with no build step; TSX_TSCONFIG_PATH makes the @digits/* path aliases resolve from any cwd
// (worker threads inherit it through process.env).
'use strict';
const path = require('node:path');
process.env.TSX_TSCONFIG_PATH = process.env.TSX_TSCONFIG_PATH || path.join(__dirname, '..', 'tsconfig.json');
require('tsx/cjs/api').register();
// `live` and `devices` load only the live app: the trainer's modules (and tfjs in the main thread) would
// add ~60 MB to a process meant to run for hours beside a microphone.
const liveOnly = ['live', 'devices'].includes(process.argv[2]);
require(liveOnly ? '../apps/live/src/main.ts' : '../apps/cli/src/main.ts');
