import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { resolveDataSource } from './data-source';
import { DataSourceError } from './source-entries';
import { syntheticWav, withTempDir } from './test-support';

test('resolveDataSource: --data wins over FSDD_DATA, which wins over ./data; relative paths resolve against cwd', async () => {
  await withTempDir(async (cwd) => {
    await mkdir(path.join(cwd, 'mine'));
    await mkdir(path.join(cwd, 'envdir'));
    await mkdir(path.join(cwd, 'data', 'recordings'), { recursive: true });
    assert.deepEqual(await resolveDataSource({ flag: 'mine', env: 'envdir', cwd }), {
      path: path.join(cwd, 'mine'),
      origin: 'flag',
      description: `${path.join(cwd, 'mine')} (from --data)`,
    });
    assert.equal((await resolveDataSource({ env: 'envdir', cwd })).origin, 'env');
    assert.deepEqual(await resolveDataSource({ env: '', cwd }), {
      path: path.join(cwd, 'data', 'recordings'),
      origin: 'data-folder',
      description: path.join(cwd, 'data', 'recordings'),
    });
    await writeFile(path.join(cwd, 'data', 'recordings.zip'), zipSync({}));
    assert.equal((await resolveDataSource({ env: '', cwd })).origin, 'data-zip', 'the zip is preferred to the folder');
  });
});

test('resolveDataSource: a missing --data or FSDD_DATA path is an error naming it', async () => {
  await withTempDir(async (cwd) => {
    await assert.rejects(
      resolveDataSource({ flag: 'nowhere.zip', cwd }),
      (err: unknown) =>
        err instanceof DataSourceError && err.message === `--data path not found: ${path.join(cwd, 'nowhere.zip')}`,
    );
    await assert.rejects(
      resolveDataSource({ env: '/no/such/fsdd', cwd }),
      /FSDD_DATA path not found: \/no\/such\/fsdd \(set by the FSDD_DATA environment variable\)/,
    );
  });
});

test('resolveDataSource: with nothing found it downloads into ./data/recordings.zip, or says what to do', async () => {
  const archive = zipSync({ 'x-master': { recordings: { '1_theo_0.wav': syntheticWav(100) } } });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-length': archive.byteLength }).end(archive));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/master.zip`;
  try {
    await withTempDir(async (cwd) => {
      await assert.rejects(
        resolveDataSource({ env: '', cwd, download: false }),
        /No FSDD data found .*Pass --data <folder\|zip> or set FSDD_DATA/,
      );
      let received = 0;
      const got = await resolveDataSource({ env: '', cwd, url, onProgress: (p) => (received = p.receivedBytes) });
      assert.equal(got.origin, 'download');
      assert.equal(got.path, path.join(cwd, 'data', 'recordings.zip'));
      assert.equal(received, archive.byteLength);
      assert.equal(
        (await resolveDataSource({ env: '', cwd, url: 'http://127.0.0.1:1/never' })).origin,
        'data-zip',
        'found next time, no download',
      );
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await withTempDir(async (cwd) => {
    await assert.rejects(
      resolveDataSource({ env: '', cwd, url: 'http://127.0.0.1:1/master.zip' }),
      /Cannot download FSDD from http:\/\/127\.0\.0\.1:1\/master\.zip: .*Pass --data <folder\|zip> or set FSDD_DATA/,
    );
  });
});
