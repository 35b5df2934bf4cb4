import { describe, expect, it } from '@jest/globals';
import { backupFileName, backupNames, backupsToPrune, parseBackupName } from './names';

const local = (iso: string): number => Date.parse(`${iso}+07:00`);

describe('backup names', () => {
  it('say the hub day and the hub clock in Vietnam time, and read back', () => {
    const name = backupFileName('2025-07-11', local('2025-07-11T00:00:05'));
    expect(name).toBe('xephang-2025-07-11-000005.sqlite');
    expect(parseBackupName(name)).toEqual({ file: name, day: '2025-07-11', time: '000005', seq: 1 });
    expect(backupFileName('2025-07-11', local('2025-07-11T08:30:00'), 420, 2)).toBe('xephang-2025-07-11-083000-2.sqlite');
  });

  it('read the names hubs gave their backups before, so an upgrade lists and prunes them too', () => {
    expect(parseBackupName('xephang-2025-07-10-01-02-03.sqlite')).toEqual({ file: 'xephang-2025-07-10-01-02-03.sqlite', day: '2025-07-10', time: '010203', seq: 1 });
  });

  it('ignore every other file in the folder', () => {
    for (const other of ['xephang.sqlite', 'xephang-2025-07-11-000005.sqlite.check.json', 'xephang-2025-07-11-000005.sqlite.partial', 'notes.txt', 'xephang-2025-7-11-000005.sqlite']) {
      expect(parseBackupName(other)).toBeUndefined();
    }
  });

  it('sort newest first: day, time, then the second of a second', () => {
    const files = ['xephang-2025-07-10-235959.sqlite', 'xephang-2025-07-11-080000.sqlite', 'xephang-2025-07-11-080000-2.sqlite', 'xephang-2025-07-11-070000.sqlite'];
    expect(backupNames(files).map((n) => n.file)).toEqual([
      'xephang-2025-07-11-080000-2.sqlite',
      'xephang-2025-07-11-080000.sqlite',
      'xephang-2025-07-11-070000.sqlite',
      'xephang-2025-07-10-235959.sqlite',
    ]);
  });
});

describe('pruning by the day in the name', () => {
  const daily = (from: number, days: number) =>
    Array.from({ length: days }, (_, i) => backupFileName(new Date(Date.UTC(2025, 6, from + i)).toISOString().slice(0, 10), local('2025-07-01T00:00:00')));

  it('keeps the last keepDays days, every backup of a kept day', () => {
    const files = [...daily(1, 20), 'xephang-2025-07-20-120000.sqlite', 'other.txt'];
    const pruned = backupsToPrune(files, '2025-07-20', 14);
    expect(pruned.sort()).toEqual(daily(1, 6).sort());
  });

  it('does not wipe the real backups when the clock jumped a year ahead', () => {
    const files = [...daily(1, 20), 'xephang-2026-07-20-000000.sqlite'];
    const pruned = backupsToPrune(files, '2026-07-20', 14, 'xephang-2026-07-20-000000.sqlite');
    // The newest 14 days that have a backup stay: the jump's own day and the 13 before it.
    expect(pruned.sort()).toEqual(daily(1, 7).sort());
  });

  it('keeps the newest when the clock went back, and the one just made', () => {
    const files = [...daily(1, 5), 'xephang-2020-01-01-000000.sqlite'];
    expect(backupsToPrune(files, '2020-01-01', 2, 'xephang-2020-01-01-000000.sqlite')).toEqual(daily(1, 3).reverse());
  });
});
