import type { CaptureDevice } from './capture-protocol';

/** A readable table of devices, one per line: index, name, input channels, default rate, default mark. */
export function describeDevices(devices: CaptureDevice[]): string {
  if (devices.length === 0) return '  (none)';
  return devices
    .map((d) => {
      const io = d.maxInputChannels > 0 ? `${d.maxInputChannels} in` : 'output only';
      const mark = d.isDefaultInput ? '  [default input]' : '';
      return `  ${String(d.id).padStart(3)}  ${d.name}  (${d.hostAPIName}, ${io}, default ${d.defaultSampleRate} Hz)${mark}`;
    })
    .join('\n');
}

/** The error for a machine where PortAudio finds no input device: what exists, and what to do instead. */
export function noMicrophoneMessage(devices: CaptureDevice[]): string {
  return [
    'no microphone: PortAudio finds no audio input device.',
    `Devices PortAudio sees:\n${describeDevices(devices)}`,
    'Connect a microphone (or check its ALSA/PulseAudio setup), or recognise a recording instead:',
    '  digits live --source wav:path/to/digits.wav',
    '  sox -d -t raw -r 16000 -e signed -b 16 -c 1 - | digits live --source stdin --rate 16000',
  ].join('\n');
}

/**
 * The input device `spec` names: a PortAudio index, or part of a name (case-insensitive, an exact name
 * wins). Without `spec`, PortAudio's default input, else the first input device.
 * Throws a clear error that lists the devices when there is no input device or `spec` matches none or several.
 */
export function selectInputDevice(devices: CaptureDevice[], spec?: string): CaptureDevice {
  const inputs = devices.filter((d) => d.maxInputChannels > 0);
  if (inputs.length === 0) throw new Error(noMicrophoneMessage(devices));
  if (spec === undefined || spec === '') return inputs.find((d) => d.isDefaultInput) ?? inputs[0];
  const list = `Input devices:\n${describeDevices(inputs)}\n(see \`digits devices\`)`;
  if (/^\d+$/.test(spec.trim())) {
    const id = Number(spec);
    const byId = inputs.find((d) => d.id === id);
    if (!byId) {
      const what = devices.some((d) => d.id === id) ? 'is not an input device' : 'does not exist';
      throw new Error(`--device ${spec}: device ${id} ${what}.\n${list}`);
    }
    return byId;
  }
  const wanted = spec.toLowerCase();
  const exact = inputs.filter((d) => d.name.toLowerCase() === wanted);
  if (exact.length === 1) return exact[0];
  const partial = inputs.filter((d) => d.name.toLowerCase().includes(wanted));
  if (partial.length === 1) return partial[0];
  if (partial.length === 0) throw new Error(`--device "${spec}" matches no input device.\n${list}`);
  throw new Error(`--device "${spec}" matches ${partial.length} input devices; give the index instead.\n${list}`);
}
