import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureDevice } from './capture-protocol';
import { countInputOverflows } from './capture-protocol';
import { describeDevices, noMicrophoneMessage, selectInputDevice } from './devices';

const device = (id: number, name: string, inputs = 2, isDefaultInput = false): CaptureDevice => ({
  id,
  name,
  maxInputChannels: inputs,
  defaultSampleRate: 44100,
  hostAPIName: 'ALSA',
  isDefaultInput,
});
const devices = [
  device(0, 'HDA Intel PCH: ALC3246 Analog (hw:0,0)'),
  device(1, 'HDMI 0', 0),
  device(2, 'USB Mic (hw:1,0)'),
  device(3, 'default', 32, true),
];

test('selectInputDevice: default input without --device; by index; by exact or partial name', () => {
  assert.equal(selectInputDevice(devices).id, 3);
  assert.equal(selectInputDevice(devices, '2').id, 2);
  assert.equal(selectInputDevice(devices, 'usb').id, 2);
  assert.equal(selectInputDevice(devices, 'DEFAULT').id, 3);
  assert.equal(selectInputDevice(devices.map((d) => ({ ...d, isDefaultInput: false }))).id, 0);
});

test('selectInputDevice: clear errors that list the input devices', () => {
  assert.throws(
    () => selectInputDevice(devices, '1'),
    /--device 1: device 1 is not an input device\.\nInput devices:\n.*USB Mic/s,
  );
  assert.throws(() => selectInputDevice(devices, '9'), /device 9 does not exist/);
  assert.throws(() => selectInputDevice(devices, 'webcam'), /"webcam" matches no input device/);
  assert.throws(() => selectInputDevice(devices, 'hw:'), /matches 2 input devices; give the index instead/);
});

test('no microphone: the message lists what PortAudio sees and suggests --source wav:', () => {
  assert.throws(
    () => selectInputDevice([device(1, 'HDMI 0', 0)]),
    (err: Error) => {
      assert.match(err.message, /^no microphone/);
      assert.match(err.message, /HDMI 0 .*output only/);
      assert.match(err.message, /--source wav:/);
      return true;
    },
  );
  assert.match(noMicrophoneMessage([]), /\(none\)/);
  assert.match(describeDevices(devices), /3 +default +\(ALSA, 32 in, default 44100 Hz\) +\[default input\]/);
});

test('countInputOverflows recognises naudiodon status lines', () => {
  assert.equal(countInputOverflows('AudioIO: portAudio status - input overflow '), 1);
  assert.equal(countInputOverflows('AudioIO: portAudio status - input underflow input overflow '), 1);
  assert.equal(countInputOverflows('AudioIO: portAudio status - output underflow '), 0);
  assert.equal(countInputOverflows('PortAudio V19.7.0-devel'), 0);
});
