import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { listZip, MAX_ZIP_ENTRY_BYTES } from './source-entries';
import { syntheticWav } from './test-support';

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
  assert.deepEqual(listing.unreadable, [{
    entry: '0_a_0.wav',
    reason: `zip entry declares ${0x7ffffff0} bytes uncompressed, more than the limit of ${MAX_ZIP_ENTRY_BYTES}`,
  }]);
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
