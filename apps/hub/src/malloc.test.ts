import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fixMallocThreshold } from './malloc';

/** Parallel scrypts (16 MiB each, on libuv's threads), twice, then the anonymous memory kept, in MiB. */
const SCRYPTS = (fix: string) => `
  ${fix}
  const { scrypt } = require('node:crypto');
  const anon = () => Number(/^RssAnon:\\s+(\\d+)/m.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
  const hash = () => new Promise((done) => scrypt('1111', 'salt', 32, () => done()));
  (async () => {
    const before = anon();
    for (let round = 0; round < 2; round++) await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(hash));
    await new Promise((done) => setTimeout(done, 200));
    console.log(JSON.stringify({ kept: anon() - before }));
  })();`;

const built = join(__dirname, '..', 'dist', 'src', 'malloc.js');

describe('fixMallocThreshold', () => {
  it('sets glibc malloc thresholds here, and leaves one set by the environment alone', () => {
    if (process.platform !== 'linux') return;
    expect(fixMallocThreshold()).toBe('set');
    process.env.MALLOC_MMAP_THRESHOLD_ = '131072';
    try {
      expect(fixMallocThreshold()).toBe('skipped');
    } finally {
      delete process.env.MALLOC_MMAP_THRESHOLD_;
    }
  });

  it('lets a process give back the 16 MiB of each scrypt instead of keeping one per thread', () => {
    if (process.platform !== 'linux' || !existsSync(built)) throw new Error(`build the hub first (${built})`);
    const run = (fix: string) => (JSON.parse(execFileSync(process.execPath, ['-e', SCRYPTS(fix)], { encoding: 'utf8' })) as { kept: number }).kept;
    const fixed = run(`if (require(${JSON.stringify(built)}).fixMallocThreshold() !== 'set') throw new Error('not set');`);
    const plain = run('');
    // Four libuv threads, each arena keeping a 16 MiB block without the fix; a few MiB with it.
    expect(fixed).toBeLessThan(16);
    expect(plain).toBeGreaterThan(fixed + 16);
  });
});
