import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { downloadFsdd, type DownloadProgress } from './download';
import { DataSourceError } from './source-entries';
import { readDataset } from './read-dataset';
import { syntheticWav, withTempDir } from './test-support';

/** A small stand-in for FSDD's repository archive: recordings of six speakers among code and docs. */
function fakeRepositoryArchive(): Uint8Array {
  const recordings: Record<string, Uint8Array> = {};
  for (const s of ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'])
    recordings[`4_${s}_0.wav`] = syntheticWav(400);
  return zipSync({
    'free-spoken-digit-dataset-master': {
      'README.md': new TextEncoder().encode('# FSDD'),
      recordings,
      utils: { 'spectogramer.py': new TextEncoder().encode('pass') },
    },
  });
}

/** Serves fixed answers on 127.0.0.1 for one test, then closes. */
async function withServer(
  routes: Record<string, { status: number; body: Uint8Array; length?: boolean }>,
  fn: (base: string) => Promise<void>,
): Promise<void> {
  const server: Server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string | number> = { 'content-type': 'application/zip' };
    if (route.length !== false) headers['content-length'] = route.body.byteLength;
    res.writeHead(route.status, headers);
    // Two writes, so that progress sees more than one chunk.
    const half = route.body.byteLength >> 1;
    res.write(route.body.subarray(0, half));
    res.end(route.body.subarray(half));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('downloadFsdd saves every recording of the archive as recordings/*.wav, with progress and attribution', async () => {
  const archive = fakeRepositoryArchive();
  await withServer({ '/fsdd.zip': { status: 200, body: archive } }, async (base) => {
    await withTempDir(async (dir) => {
      const progress: DownloadProgress[] = [];
      const destination = path.join(dir, 'data', 'recordings.zip');
      const got = await downloadFsdd({ destination, url: `${base}/fsdd.zip`, onProgress: (p) => progress.push(p) });
      assert.deepEqual(got, { path: destination, recordings: 6, archiveBytes: archive.byteLength });
      assert.ok(progress.length >= 2);
      assert.deepEqual(progress.at(-1), { receivedBytes: archive.byteLength, totalBytes: archive.byteLength });
      assert.ok(progress.every((p, i) => i === 0 || p.receivedBytes >= progress[i - 1].receivedBytes));

      const entries = Object.keys(unzipSync(new Uint8Array(await readFile(destination))))
        .filter((e) => !e.endsWith('/'))
        .sort();
      assert.deepEqual(
        entries,
        ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'].map((s) => `recordings/4_${s}_0.wav`),
      );
      assert.deepEqual(
        (await readdir(path.join(dir, 'data'))).sort(),
        ['FSDD-ATTRIBUTION.txt', 'recordings.zip'],
        'no temporary files left',
      );
      assert.match(await readFile(path.join(dir, 'data', 'FSDD-ATTRIBUTION.txt'), 'utf8'), /CC BY-SA 4\.0/);

      const ds = await readDataset(destination);
      assert.deepEqual(ds.speakers, ['jackson', 'nicolas', 'theo', 'yweweler']);
      assert.deepEqual(ds.excludedSpeakers, [
        { speaker: 'george', clips: 1 },
        { speaker: 'lucas', clips: 1 },
      ]);
      assert.deepEqual(ds.skipped, []);
    });
  });
});

test('downloadFsdd without Content-Length reports totalBytes null', async () => {
  await withServer({ '/a.zip': { status: 200, body: fakeRepositoryArchive(), length: false } }, async (base) => {
    await withTempDir(async (dir) => {
      const seen: (number | null)[] = [];
      await downloadFsdd({
        destination: path.join(dir, 'r.zip'),
        url: `${base}/a.zip`,
        onProgress: (p) => seen.push(p.totalBytes),
      });
      assert.ok(seen.length > 0 && seen.every((t) => t === null));
    });
  });
});

/** Asserts a download error: names the URL and the problem, says what to do, and leaves no file behind. */
async function assertDownloadFails(url: string, problem: RegExp): Promise<void> {
  await withTempDir(async (dir) => {
    const destination = path.join(dir, 'recordings.zip');
    await writeFile(path.join(dir, 'keep.txt'), 'x');
    await assert.rejects(downloadFsdd({ destination, url }), (err: unknown) => {
      assert.ok(err instanceof DataSourceError);
      assert.ok(err.message.includes(url), err.message);
      assert.match(err.message, problem);
      assert.match(err.message, /--data <folder\|zip>/);
      assert.match(err.message, /FSDD_DATA/);
      assert.match(err.message, /\{digit\}_\{speaker\}_\{index\}\.wav/);
      return true;
    });
    assert.deepEqual(await readdir(dir), ['keep.txt']);
  });
}

test('downloadFsdd errors: HTTP error, not a zip, no recordings, unreachable server', async () => {
  const noRecordings = zipSync({ 'repo-master': { 'README.md': new Uint8Array([35]) } });
  await withServer(
    {
      '/html': { status: 200, body: new TextEncoder().encode('<html>login</html>') },
      '/empty.zip': { status: 200, body: noRecordings },
    },
    async (base) => {
      await assertDownloadFails(`${base}/missing.zip`, /HTTP 404/);
      await assertDownloadFails(`${base}/html`, /not a zip archive/);
      await assertDownloadFails(`${base}/empty.zip`, /no recordings\/\*\.wav/);
    },
  );
  // A port nobody listens on: take one from a server that is already closed.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await assertDownloadFails(`http://127.0.0.1:${port}/fsdd.zip`, /ECONNREFUSED|fetch failed/);
});
