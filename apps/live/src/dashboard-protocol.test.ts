import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PROTOCOL_VERSION } from '@digits/protocol';
import { DASHBOARD_DIR } from './server/static-files';

// The dashboard is plain browser JavaScript with no imports, so it carries its own copy of the version
// it sends in its hello: it must be the version of @digits/protocol the server speaks.
test("the dashboard's PROTOCOL_VERSION is @digits/protocol's", () => {
  const file = `${DASHBOARD_DIR}/dashboard.js`;
  const found = [...readFileSync(file, 'utf8').matchAll(/\bconst PROTOCOL_VERSION = (\d+);/g)].map((m) => Number(m[1]));
  assert.deepEqual(found, [PROTOCOL_VERSION], `${file}: PROTOCOL_VERSION declarations`);
});
