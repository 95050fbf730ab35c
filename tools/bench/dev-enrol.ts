import { readTakeFiles, enrolVoice } from '@digits/voice';
import { loadRecognizer } from '@digits/model';
import fs from 'node:fs';
async function main() {
const [base, speaker, perDigit, out] = process.argv.slice(2);
const dataDir = speaker.startsWith('espeak') ? '/work/main/data/espeak-digits' : 'data/recordings';
const all = fs.readdirSync(dataDir).filter((f) => f.split('_')[1] === speaker);
const tmp = `/tmp/enrol-dev/takes-${speaker}`; fs.rmSync(tmp, { recursive: true, force: true }); fs.mkdirSync(tmp, { recursive: true });
const enrolSet = all.filter((f) => Number(f.split('_')[2].split('.')[0]) < Number(perDigit));
for (const f of enrolSet) fs.copyFileSync(`${dataDir}/${f}`, `${tmp}/${f}`);
const { takes } = await readTakeFiles(tmp);
const t0 = performance.now();
const r = await enrolVoice({ baseModelDir: base, takes, outDir: out, overwrite: true, onProgress: () => {} });
console.log('enrol', r.seconds.toFixed(2), 's', r.takesUsed.length, 'rejected', r.rejected, (performance.now()-t0)/1000);
console.log(JSON.parse(fs.readFileSync(`${out}/meta.json`, 'utf8')).enrolment.settings.takeAccuracy);

}
void main();
