// The zip reader's fuzz properties, shared by source-entries.property.test.ts (300 cases each in
// `npm test`) and `nx run dataset:fuzz --runs N`. Test support only: not exported from the index.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buf as crc32 } from 'crc-32';
import { zipSync } from 'fflate';
import {
  centralDirectory,
  DataSourceError,
  inflateZipEntry,
  listZip,
  MAX_ZIP_ENTRY_BYTES,
  ZipEntryError,
} from './source-entries';
import { deflatedZeros, syntheticWav, zipOfDeflated } from './test-support';

/** The memory bound of one expanded entry: never more than it declares, and never more than the limit. */
export function entryBytesBound(declared: number, maxEntryBytes = MAX_ZIP_ENTRY_BYTES): number {
  return Math.min(declared, maxEntryBytes);
}

const valid = zipSync({ 'a.wav': syntheticWav(40), 'b/c.wav': syntheticWav(30) }, { level: 6 });
/** Deflated zeros of 0..3 MiB, built once: the true sizes the lying zips below hide. */
const zeros = [0, 1, 2, 3].map((mib) => deflatedZeros(mib));
const zeroCrcs = [0, 1, 2, 3].map((mib) => crc32(new Uint8Array(mib << 20)) >>> 0);

export const ZIP_PROPERTIES: { name: string; property: () => fc.IAsyncProperty<any> | fc.IProperty<any> }[] = [
  {
    name: 'corrupted zips: listing throws only DataSourceError, reading never throws, no entry exceeds its bound',
    property: () =>
      fc.asyncProperty(
        fc.record({
          edits: fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
            maxLength: 8,
          }),
          cut: fc.nat({ max: valid.length }),
        }),
        async ({ edits, cut }) => {
          const bytes = valid.slice(0, Math.max(cut, 4));
          for (const [at, b] of edits) if (at < bytes.length) bytes[at] = b;
          let listing;
          try {
            listing = listZip('fuzz.zip', bytes);
          } catch (e) {
            if (e instanceof DataSourceError) return;
            throw e;
          }
          const records = centralDirectory(bytes);
          for (const [f, got] of await listing.read(listing.files)) {
            if ('error' in got) continue;
            const declared = records.get(f.entry)?.originalSize ?? -1;
            assert.ok(
              got.bytes.length <= entryBytesBound(declared),
              `${f.entry}: ${got.bytes.length} bytes, declares ${declared}`,
            );
          }
        },
      ),
  },
  {
    name: 'an entry lying about its size (any declared size, any limit): exactly the declared bytes, or a ZipEntryError; never past the bound',
    property: () =>
      fc.property(
        fc.nat({ max: 3 }),
        fc.oneof(fc.nat({ max: 4 << 20 }), fc.constantFrom(0, 1 << 20, 2 << 20, 3 << 20)),
        fc.oneof(fc.integer({ min: 1, max: 4 << 20 }), fc.constant(MAX_ZIP_ENTRY_BYTES)),
        (mib, declared, maxEntryBytes) => {
          const zip = zipOfDeflated('z.wav', zeros[mib], declared, zeroCrcs[mib]);
          const record = centralDirectory(zip).get('z.wav')!;
          let out: Uint8Array;
          try {
            out = inflateZipEntry('fuzz.zip', zip, record, { maxEntryBytes });
          } catch (e) {
            if (!(e instanceof ZipEntryError) || e.zip !== 'fuzz.zip' || e.entry !== 'z.wav') throw e;
            const stopped = /stopped after (\d+)/.exec(e.problem);
            // One inflate step (512 compressed bytes) past the declared size at most: the lie is never expanded whole.
            if (stopped) assert.ok(Number(stopped[1]) <= declared + 1032 * 512 + 32768, e.problem);
            return;
          }
          assert.equal(out.length, declared);
          assert.ok(out.length <= entryBytesBound(declared, maxEntryBytes));
        },
      ),
  },
];
