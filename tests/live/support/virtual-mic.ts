// The virtual ALSA microphone (see ../shared/notes/virtual-microphone.md): an ALSA configuration whose
// default capture device reads a raw PCM file. Nothing is written outside the given folder.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const ASOUND_CONF = `pcm.virtmic {
    type file
    slave.pcm { type null }
    file "/dev/null"
    format "raw"
    infile { @func getenv vars [ VIRTMIC_INFILE ] default "/dev/zero" }
}
pcm.default "virtmic"
`;

/**
 * Writes the ALSA configuration and the raw s16le mono audio into `dir` and returns the environment
 * that makes PortAudio capture from it. It is also set in process.env, before any PortAudio call of
 * the test (PortAudio reads ALSA_CONFIG_PATH once, VIRTMIC_INFILE at every stream open).
 * The device is not paced (seconds arrive in milliseconds) and repeats stale data past the end of
 * the file: pad the audio with silence and stop by sample count.
 */
export function setUpVirtualMic(dir: string, pcm: Buffer): NodeJS.ProcessEnv {
  const conf = path.join(dir, 'asound.conf');
  const infile = path.join(dir, 'virtmic.raw');
  writeFileSync(conf, ASOUND_CONF);
  writeFileSync(infile, pcm);
  process.env.ALSA_CONFIG_PATH = conf;
  process.env.VIRTMIC_INFILE = infile;
  return { ...process.env, ALSA_CONFIG_PATH: conf, VIRTMIC_INFILE: infile };
}
