import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueError } from '@xephang/core';
import type { LoadByService, Opening } from '@xephang/protocol';
import { createCommit, type Actor } from './commit';
import { openDatabase } from './db/open';
import { createStores, type Stores } from './store';

const OPENING: Opening = { state: 'open', closesAt: null };
const LOAD: LoadByService = { civil: { waiting: 1, openCounters: 0, estimatedWaitMinutes: null } };
const KIOSK: Actor = { deviceId: 'kiosk-1', counterId: null, clerkId: null, role: 'kiosk' };
const OTHER_KIOSK: Actor = { deviceId: 'kiosk-2', counterId: null, clerkId: null, role: 'kiosk' };

describe('the commit runner', () => {
  let dir: string;
  let db: Database.Database;
  let stores: Stores;
  let now: number;
  let logged: string[];
  let calls: string[];
  const setUp = () => {
    const commit = createCommit(db, stores, {
      now: () => now,
      log: (line) => logged.push(line),
      hooks: {
        begin: () => void calls.push('begin'),
        end: () => void calls.push('end'),
        attach: (_at, withLoad) => ({ opening: OPENING, load: withLoad ? LOAD : {} }),
        sent: () => void calls.push('sent'),
        reset: () => void calls.push('reset'),
      },
    });
    return commit;
  };
  const counts = () => ({
    broadcasts: db.prepare('SELECT count(*) FROM broadcasts').pluck().get(),
    events: db.prepare('SELECT count(*) FROM events').pluck().get(),
    replies: db.prepare('SELECT count(*) FROM requests').pluck().get(),
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-commit-'));
    db = openDatabase(join(dir, 'xephang.sqlite'));
    stores = createStores(db);
    stores.config.seedDefaults('hub-test');
    now = Date.parse('2025-07-10T08:00:00+07:00');
    logged = [];
    calls = [];
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated request id with the stored reply, without running the body or emitting', () => {
    const commit = setUp();
    let runs = 0;
    const body = () => {
      runs++;
      commit.emit({ type: 'opening:changed', at: now }, { type: 'clerk:changed', at: now, detail: { what: 'thử' } });
      return { n: runs };
    };
    const first = commit.run('clerk:changed', 'req-00000001', body, KIOSK);
    const before = counts();
    const again = commit.run('clerk:changed', 'req-00000001', body, KIOSK);
    expect(first.reply).toEqual({ n: 1 });
    expect(first.events).toHaveLength(1);
    expect(again).toEqual({ reply: { n: 1 }, events: [], replayed: true });
    expect(runs).toBe(1);
    expect(counts()).toEqual(before);
    expect(commit.answered('req-00000001', KIOSK)).toBe(true);
    expect(commit.answered('req-00000001', OTHER_KIOSK)).toBe(false);
  });

  it('refuses a request id reused by another device, or for another command, and logs the other device', () => {
    const commit = setUp();
    commit.run('ticket:issue', 'req-00000002', () => 'mine', KIOSK);
    const before = counts();
    expect(() => commit.run('ticket:issue', 'req-00000002', () => 'theirs', OTHER_KIOSK)).toThrow(
      new QueueError('invalid_payload', 'Mã yêu cầu req-00000002 đã được một thiết bị khác dùng. Mỗi lệnh mới cần một mã yêu cầu mới (requestId không trùng).'),
    );
    expect(() => commit.run('counter:next', 'req-00000002', () => 'other', KIOSK)).toThrow(
      'Mã yêu cầu req-00000002 đã dùng cho lệnh ticket:issue. Mỗi lệnh mới cần một mã yêu cầu mới.',
    );
    expect(counts()).toEqual(before);
    expect(logged).toEqual(['mã yêu cầu của thiết bị khác bị dùng lại (ticket:issue, req-00000002) bởi device:kiosk-2: đã từ chối']);
  });

  it('rolls back every write of a body that throws, emits nothing and resets the caches', () => {
    const commit = setUp();
    const before = counts();
    expect(() =>
      commit.run('admin:texts', 'req-00000003', () => {
        stores.config.setMeta('notice', 'đã đổi');
        commit.emit({ type: 'opening:changed', at: now }, { type: 'admin:texts', at: now, detail: {} });
        throw new QueueError('invalid_payload', 'không hợp lệ');
      }),
    ).toThrow('không hợp lệ');
    expect(stores.config.meta('notice')).not.toBe('đã đổi');
    expect(counts()).toEqual(before);
    expect(calls).toEqual(['begin', 'reset']);
    // Not stored either: the same request id may be sent again and runs.
    expect(commit.run('admin:texts', 'req-00000003', () => 'ok').reply).toBe('ok');
  });

  it('numbers events in order and hands them back only once committed, with the opening and load', () => {
    const commit = setUp();
    const reader = new Database(join(dir, 'xephang.sqlite'), { readonly: true });
    const seen: number[] = [];
    const last = stores.broadcasts.lastSeq();
    const result = commit.run('tick', undefined, () => {
      commit.emit({ type: 'opening:changed', at: now });
      commit.emit({ type: 'opening:changed', at: now + 1 }, { type: 'admin:hours', at: now + 1, detail: { by: 'thử' } });
      // Another connection sees nothing of them before the commit.
      seen.push(reader.prepare('SELECT count(*) FROM broadcasts WHERE seq > ?').pluck().get(last) as number);
      expect(calls).toEqual(['begin']);
      return null;
    });
    seen.push(reader.prepare('SELECT count(*) FROM broadcasts WHERE seq > ?').pluck().get(last) as number);
    reader.close();
    expect(seen).toEqual([0, 2]);
    expect(result.events.map((e) => e.seq)).toEqual([last + 1, last + 2]);
    expect(result.events.every((e) => e.opening === OPENING && e.load.civil?.waiting === 1)).toBe(true);
    expect(db.prepare('SELECT seq, type FROM events').all()).toEqual([{ seq: last + 2, type: 'admin:hours' }]);
    expect(calls).toEqual(['begin', 'end', 'sent']);
  });

  it('writes a completed reply with the next commit, not in a commit of its own, and a repeat reads it completed', () => {
    const commit = setUp();
    const reader = new Database(join(dir, 'xephang.sqlite'), { readonly: true });
    const stored = (id: string) => JSON.parse(reader.prepare('SELECT reply FROM requests WHERE id = ?').pluck().get(id) as string) as unknown;
    commit.run('ticket:issue', 'req-00000010', () => ({ n: 1 }), KIOSK);
    commit.completeReply('req-00000010', { n: 1, printed: true });
    // Not yet: no second fsync for it.
    expect(stored('req-00000010')).toEqual({ n: 1 });
    // The next command of anyone commits it; the repeat of the same request reads it completed.
    commit.run('ticket:issue', 'req-00000011', () => ({ n: 2 }), OTHER_KIOSK);
    expect(stored('req-00000010')).toEqual({ n: 1, printed: true });
    commit.completeReply('req-00000011', { n: 2, printed: false });
    expect(commit.run('ticket:issue', 'req-00000011', () => ({ n: 99 }), OTHER_KIOSK)).toEqual({ reply: { n: 2, printed: false }, events: [], replayed: true });
    reader.close();
  });

  it('keeps a completed reply through a command that rolls back, and writes what is left when flushed', () => {
    const commit = setUp();
    commit.run('ticket:issue', 'req-00000012', () => ({ n: 1 }), KIOSK);
    commit.completeReply('req-00000012', { n: 1, printed: true });
    expect(() =>
      commit.run('admin:texts', undefined, () => {
        throw new QueueError('invalid_payload', 'không hợp lệ');
      }),
    ).toThrow('không hợp lệ');
    expect(stores.replies.get('req-00000012')!.reply).toBe('{"n":1}');
    commit.flush();
    expect(stores.replies.get('req-00000012')!.reply).toBe('{"n":1,"printed":true}');
    // Nothing left: a second flush writes nothing.
    commit.flush();
  });

  it('writes a completed reply on its own when no command follows', async () => {
    const commit = createCommit(db, stores, {
      now: () => now,
      completeWithinMs: 10,
      hooks: { begin: () => undefined, end: () => undefined, attach: () => ({ opening: OPENING, load: {} }), sent: () => undefined, reset: () => undefined },
    });
    commit.run('ticket:issue', 'req-00000013', () => ({ n: 1 }), KIOSK);
    commit.completeReply('req-00000013', { n: 1, printed: true });
    const deadline = Date.now() + 5000;
    while (stores.replies.get('req-00000013')!.reply === '{"n":1}' && Date.now() < deadline) await new Promise((w) => setTimeout(w, 5));
    expect(stores.replies.get('req-00000013')!.reply).toBe('{"n":1,"printed":true}');
  });

  it('refuses an emit outside a command', () => {
    const commit = setUp();
    expect(() => commit.emit({ type: 'opening:changed', at: now })).toThrow('emit outside a queue transaction');
  });
});
