import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Command } from 'commander';
import { roomsBackgrounds, roomsExtra, roomsOption, roomsWithoutParts } from './cli-args';
import { registerEvalProtocolCommand } from './eval-protocol-command';

const parse = (...args: string[]) =>
  new Command()
    .exitOverride()
    .addOption(roomsOption('copies'))
    .parse(['node', 'x', ...args])
    .opts().rooms;

it('--rooms: a bare flag is 2 copies (a number, as the protocol file needs), a value 1-8', () => {
  assert.equal(parse('--rooms'), 2);
  assert.equal(parse('--rooms', '3'), 3);
  assert.equal(parse(), undefined);
  assert.throws(() => parse('--rooms', '9'), /--rooms: expected 1-8 copies, got "9"/);
});

it('--rooms-without and --rooms-backgrounds name a bad value', () => {
  assert.deepEqual(roomsWithoutParts('room,noise'), ['noise', 'room']);
  assert.throws(() => roomsWithoutParts('music'), /--rooms-without: "music" is not a part of the room training/);
  assert.equal(roomsBackgrounds('200'), 200);
  assert.throws(() => roomsBackgrounds('0'), /--rooms-backgrounds: expected a whole number 1-2000, got "0"/);
  assert.equal(roomsExtra('1280'), 1280);
  assert.throws(() => roomsExtra('1.5'), /--rooms-extra: expected a whole number 1-100000, got "1.5"/);
});

it('eval-protocol documents the room options in --help', () => {
  const program = new Command();
  registerEvalProtocolCommand(program);
  const help = program.commands.find((c) => c.name() === 'eval-protocol')!.helpInformation();
  for (const flag of ['--rooms [copies]', '--rooms-without <parts>', '--rooms-backgrounds <n>', '--rooms-extra <n>'])
    assert.ok(help.includes(flag), flag);
  assert.match(
    help.replace(/\s+/g, ' '),
    /noise = white and brown noise, babble, tones, room = reverberation, mic = colouring and level/,
  );
});
