import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The dashboard imports this library in the browser: its sources may import zod and each other only,
// and must not touch Node globals.
test('protocol sources import only zod and their own files, and use no Node globals', () => {
  const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  assert.ok(sources.length >= 4);
  for (const f of sources) {
    const text = readFileSync(path.join(__dirname, f), 'utf8');
    for (const [, spec] of text.matchAll(/from\s+'([^']+)'/g)) {
      assert.ok(spec === 'zod' || spec.startsWith('./'), `${f} imports ${spec}`);
    }
    assert.doesNotMatch(text, /\b(Buffer|process|require)\b[.(]/, f);
  }
});
