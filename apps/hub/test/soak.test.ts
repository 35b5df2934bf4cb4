import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';

/** `npm run soak`, built by tsc -b with the rest of the scripts. */
const SOAK = resolve(__dirname, '../../../scripts/dist/bench/soak.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built soak script to its end (it starts and stops its own hub). */
function soak(args: readonly string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [SOAK, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

interface SoakJson {
  rows: { day: string; tickets: number; rssMb: number; eldP99Ms: number | null; heapMb: number | null; dbBytes: number }[];
  acksChecked: number;
  ticketsChecked: number;
  missing: string[];
  failures: string[];
}

interface Ledger {
  tickets: Record<string, { id: string; number: number; state: string; rating?: number }>;
}

describe('npm run soak, the one-minute version', () => {
  let dir: string;
  let kept: string;
  let first: Run;

  beforeAll(async () => {
    if (!existsSync(SOAK)) throw new Error(`${SOAK} is not built: run npx tsc -b first`);
    dir = mkdtempSync(join(tmpdir(), 'xephang-soak-test-'));
    kept = join(dir, 'data');
    first = await soak(['--days', '2', '--volume', '0.2', '--displays', '10', '--settle-ms', '200', '--keep', kept, '--json', join(dir, 'soak.json')]);
  }, 150_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('plays two days on the real hub and checks every ack against its database', () => {
    // The exit code first, and what the soak said after it when it failed.
    expect(`${String(first.code)}\n${first.stdout.slice(-3000)}${first.stderr.slice(-2000)}`).toMatch(/^0\n/);
    const json = JSON.parse(readFileSync(join(dir, 'soak.json'), 'utf8')) as SoakJson;
    expect(json.failures).toEqual([]);
    expect(json.missing).toEqual([]);
    expect(json.rows.map((r) => r.day)).toEqual(['2026-12-07', '2026-12-08']);
    // Volume 0.2 of the seed's 100 a weekday: 20 tickets each day, each issue with its print answer and its calls.
    for (const row of json.rows) {
      expect(row.tickets).toBe(20);
      expect(row.rssMb).toBeGreaterThan(20);
      // The hub answered SIGUSR2 with its event-loop delay (XEPHANG_LOOP_DELAY=signal).
      expect(typeof row.eldP99Ms).toBe('number');
      expect(row.heapMb).toBeGreaterThan(1);
    }
    expect(json.ticketsChecked).toBe(40);
    expect(json.acksChecked).toBeGreaterThan(json.ticketsChecked * 3);
    expect(first.stdout).toMatch(/Đối chiếu \(ack check\): \d+ phản hồi cho 40 phiếu .* thiếu hoặc sai: 0/);
    expect(first.stdout).toMatch(/\| 2026-12-08 Thứ Ba \| 20 \|/);
    expect(first.stdout).toMatch(/Một năm ở khối lượng ×0\.2/);
  });

  it('passes a kept folder again, and fails once an acked ticket or finish is gone from the database', async () => {
    expect((await soak(['--check', kept])).code).toBe(0);

    const tampered = join(dir, 'tampered');
    cpSync(kept, tampered, { recursive: true });
    const ledger = JSON.parse(readFileSync(join(kept, 'acks.json'), 'utf8')) as Ledger;
    const tickets = Object.values(ledger.tickets);
    const gone = tickets[0]!;
    const done = tickets.find((t) => t.state === 'done' && t.id !== gone.id)!;
    const db = new Database(join(tampered, 'xephang.sqlite'));
    // The visit log and the ratings point at tickets: off, so a row can go as a lost write would.
    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM tickets WHERE id = ?').run(gone.id);
    db.prepare("UPDATE tickets SET state = 'serving', outcome = NULL WHERE id = ?").run(done.id);
    db.close();

    const check = await soak(['--check', tampered]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`phiếu ${gone.number} ngày`);
    expect(check.stdout).toMatch(new RegExp(`${gone.id}\\): không có trong cơ sở dữ liệu`));
    expect(check.stdout).toMatch(new RegExp(`${done.id}\\): trạng thái \\(state\\) đã báo done, trong cơ sở dữ liệu serving`));
    expect(check.stdout).toMatch(/thiếu hoặc sai: [2-9]/);
  }, 60_000);
});
