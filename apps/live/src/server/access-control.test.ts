import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateToken, isLoopbackHost, tokenMatches } from './access-control';

test('isLoopbackHost: localhost, 127.x and ::1 are local; anything else is not', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]'])
    assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['0.0.0.0', '::', '192.168.1.5', 'localhost.evil.example', '127.0.0.1.nip.io'])
    assert.equal(isLoopbackHost(h), false, h);
});

test('tokens: 32 URL-safe characters, fresh each time, compared exactly', () => {
  const a = generateToken();
  assert.match(a, /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(a, generateToken());
  assert.equal(tokenMatches(a, a), true);
  assert.equal(tokenMatches(a, a.slice(1)), false);
  assert.equal(tokenMatches(a, `${a}x`), false);
  assert.equal(tokenMatches(a, null), false);
  assert.equal(tokenMatches(a, undefined), false);
});
