import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { buf as crc32 } from 'crc-32';
import { centralDirectory, inflateZipEntry, listZip, MAX_ZIP_ENTRY_BYTES, ZipEntryError } from './source-entries';
import { deflatedZeros, syntheticWav, zipOfDeflated } from './test-support';

/** Offset of the central-directory header of a one-entry zip. */
function centralHeader(zip: Uint8Array): number {
  for (let i = zip.length - 22; i >= 0; i--) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 0x01 && zip[i + 3] === 0x02) {
      return i;
    }
  }
  throw new Error('no central directory');
}

/** A zip of one entry whose central directory declares `declared` uncompressed bytes (fflate trusts it). */
function zipDeclaring(name: string, bytes: Uint8Array, declared: number): Uint8Array {
  const zip = zipSync({ [name]: bytes }, { level: 6 });
  new DataView(zip.buffer, zip.byteOffset).setUint32(centralHeader(zip) + 24, declared, true);
  return zip;
}

test('a zip entry declaring more than MAX_ZIP_ENTRY_BYTES uncompressed is unreadable and never inflated', async () => {
  const zip = zipDeclaring('0_a_0.wav', syntheticWav(10), 0x7ffffff0);
  const listing = listZip('big.zip', zip);
  assert.deepEqual(listing.files, []);
  assert.deepEqual(listing.unreadable, [
    {
      entry: '0_a_0.wav',
      reason: `zip entry declares ${0x7ffffff0} bytes uncompressed, more than the limit of ${MAX_ZIP_ENTRY_BYTES}`,
    },
  ]);
});

test('the zip entry bound can be lowered; entries within it are read', async () => {
  const wav = syntheticWav(10);
  const zip = zipSync({ 'a.wav': wav });
  assert.equal(listZip('z.zip', zip, wav.length - 1).unreadable.length, 1);
  const listing = listZip('z.zip', zip, wav.length);
  const read = await listing.read(listing.files);
  assert.deepEqual(read.get(listing.files[0]), { bytes: wav });
});

test('a stored zip entry whose bytes do not match its CRC-32 is an error naming the entry', async () => {
  const wav = syntheticWav(10);
  const zip = zipSync({ 'a.wav': wav }, { level: 0 });
  zip[Buffer.from(zip).indexOf('RIFF') + 50] ^= 0xff; // a sample byte of the stored entry
  const listing = listZip('z.zip', zip);
  const got = (await listing.read(listing.files)).get(listing.files[0]);
  assert.ok(got && 'error' in got);
  assert.match(got.error, /^damaged zip entry a\.wav: CRC-32 is 0x[0-9a-f]{8}, the archive records 0x[0-9a-f]{8}$/);
});

test('a zip entry that declares 1 KB and inflates to 200 MB stops at the declared size with an error naming zip and entry', async () => {
  const zip = zipOfDeflated('0_a_0.wav', deflatedZeros(200), 1024);
  assert.ok(zip.length < 1_000_000, `the crafted zip is small (${zip.length} bytes)`);
  const listing = listZip('liar.zip', zip);
  assert.deepEqual(
    listing.files.map((f) => f.entry),
    ['0_a_0.wav'],
  );
  const got = (await listing.read(listing.files)).get(listing.files[0]);
  assert.ok(got && 'error' in got);
  const m = /^zip entry inflates to more than the 1024 bytes it declares \(stopped after (\d+)\)$/.exec(got.error);
  assert.ok(m, got.error);
  // One inflate step of 512 compressed bytes: far below the 200 MB the entry really holds.
  assert.ok(Number(m[1]) <= 1024 + 1032 * 512 + 32768, `stopped after ${m[1]} bytes`);

  const records = centralDirectory(zip);
  assert.throws(
    () => inflateZipEntry('liar.zip', zip, records.get('0_a_0.wav')!),
    (err: unknown) => {
      assert.ok(err instanceof ZipEntryError);
      assert.equal(err.zip, 'liar.zip');
      assert.equal(err.entry, '0_a_0.wav');
      assert.match(err.message, /^liar\.zip:0_a_0\.wav: zip entry inflates to more than the 1024 bytes/);
      return true;
    },
  );
});

test('an entry declaring its true size is still bounded by maxEntryBytes; one that inflates to less than it declares is damaged', () => {
  const zeros = deflatedZeros(3);
  const honest = zipOfDeflated('z.wav', zeros, 3 << 20, crc32(new Uint8Array(3 << 20)));
  const record = centralDirectory(honest).get('z.wav')!;
  assert.equal(inflateZipEntry('h.zip', honest, record).length, 3 << 20);
  assert.throws(
    () => inflateZipEntry('h.zip', honest, record, { maxEntryBytes: 1 << 20 }),
    (err: unknown) =>
      err instanceof ZipEntryError &&
      err.message === 'h.zip:z.wav: zip entry declares 3145728 bytes uncompressed, more than the limit of 1048576',
  );
  const short = zipOfDeflated('s.wav', zeros, (3 << 20) + 10);
  assert.throws(
    () => inflateZipEntry('s.zip', short, centralDirectory(short).get('s.wav')!),
    (err: unknown) => err instanceof ZipEntryError && /inflates to 3145728 bytes, declares 3145738/.test(err.problem),
  );
});
