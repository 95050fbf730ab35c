#!/usr/bin/env node
// The `digits` command. Sources are TypeScript, run through tsx so that `npx digits` works right after
// `npm ci` with no build step; TSX_TSCONFIG_PATH makes the @digits/* path aliases resolve from any cwd
// (worker threads inherit it through process.env).
'use strict';
const path = require('node:path');
process.env.TSX_TSCONFIG_PATH = process.env.TSX_TSCONFIG_PATH || path.join(__dirname, '..', 'tsconfig.json');
require('tsx/cjs/api').register();
require('../apps/cli/src/main.ts');
