#!/usr/bin/env node
/** Writes the synthesized chime: `node packages/voice/dist/src/make-chime.js assets/sounds/chime.wav`. */
import { writeFileSync } from 'node:fs';
import { synthesizeChime } from './chime';
import { encodeWav, SAMPLE_RATE } from './wav';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: make-chime <file.wav>\n');
  process.exit(2);
}
writeFileSync(target, encodeWav({ rate: SAMPLE_RATE, samples: synthesizeChime(SAMPLE_RATE) }));
process.stdout.write(`${target}\n`);
