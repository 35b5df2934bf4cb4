import { describe, expect, it } from '@jest/globals';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { findChimeAsset } from './renderer';

const ROOT = join(__dirname, '../../..');

describe('the shipped chime', () => {
  it('is found through the @xephang/assets package, which the voice declares', () => {
    const file = findChimeAsset();
    expect(file).toBeDefined();
    expect(realpathSync(file!)).toBe(realpathSync(join(ROOT, 'assets/sounds/chime.wav')));
    const voice = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(voice.dependencies)).toContain('@xephang/assets');
  });
});
