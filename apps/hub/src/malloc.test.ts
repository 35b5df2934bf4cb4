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
const builtOpen = join(__dirname, '..', 'dist', 'src', 'db', 'open.js');

/**
 * Commits shaped as a ticket's (a row in `tickets`, with its indexes and triggers, then about 3 KB
 * of log rows), in a fresh hub database, then the minor page faults per commit once warm.
 */
const COMMITS = (fix: string) => `
  ${fix}
  const { mkdtempSync, rmSync } = require('node:fs');
  const { join } = require('node:path');
  const dir = mkdtempSync(join(require('node:os').tmpdir(), 'xephang-malloc-'));
  const db = require(${JSON.stringify(builtOpen)}).openDatabase(join(dir, 'xephang.sqlite'));
  db.pragma('synchronous = OFF');
  const service = db.prepare("INSERT INTO services (id, name_vi, name_en, kind, block_start, sort_order) VALUES (?, 'x', 'x', 'commune', ?, ?)");
  for (let i = 0; i < 4; i++) service.run('s' + i, 1000 * (i + 1), i);
  db.exec('CREATE TABLE side (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)');
  const ticket = db.prepare("INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at) VALUES (@id, 'd', @n, @s, @s, 'normal', 'waiting', @n) RETURNING *");
  const side = db.prepare('INSERT INTO side (body) VALUES (?)');
  let n = 0;
  const commit = db.transaction(() => {
    n++;
    ticket.get({ id: 'd-' + n, n, s: 's' + (n % 4) });
    for (let i = 0; i < 3; i++) side.run('x'.repeat(1000) + n);
  });
  for (let i = 0; i < 1000; i++) commit.immediate();
  const before = process.resourceUsage().minorPageFault;
  for (let i = 0; i < 1000; i++) commit.immediate();
  console.log(JSON.stringify({ faults: (process.resourceUsage().minorPageFault - before) / 1000 }));
  db.close();
  rmSync(dir, { recursive: true, force: true });`;

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

  it('keeps the memory of one commit for the next instead of giving it back and faulting it in again', () => {
    if (process.platform !== 'linux' || !existsSync(builtOpen)) throw new Error(`build the hub first (${builtOpen})`);
    const perCommit = (fix: string) => (JSON.parse(execFileSync(process.execPath, ['-e', COMMITS(fix)], { encoding: 'utf8' })) as { faults: number }).faults;
    const fixed = perCommit(`if (require(${JSON.stringify(built)}).fixMallocThreshold() !== 'set') throw new Error('not set');`);
    // glibc's 128 KiB trim threshold, which the hub set before: 20–27 faults a commit on the development VM.
    const trimAt128KiB = perCommit(`if (require(${JSON.stringify(built)}).fixMallocThreshold(131072, 131072) !== 'set') throw new Error('not set');`);
    expect(fixed).toBeLessThan(5);
    expect(trimAt128KiB).toBeGreaterThan(fixed * 4);
  });
});
