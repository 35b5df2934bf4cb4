import { describe, expect, it } from '@jest/globals';
import { isBrokenDatabase } from './last-resort';

describe('isBrokenDatabase', () => {
  const sqlite = (code: string) => Object.assign(new Error(code), { code });

  it('ends the hub for a file it can no longer read or write', () => {
    for (const code of ['SQLITE_CORRUPT', 'SQLITE_IOERR_WRITE', 'SQLITE_FULL', 'SQLITE_NOTADB', 'SQLITE_READONLY_DBMOVED']) {
      expect(isBrokenDatabase(sqlite(code))).toBe(true);
    }
    expect(isBrokenDatabase(new TypeError('The database connection is not open'))).toBe(true);
  });

  it('keeps serving after anything else', () => {
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_BUSY', 'SQLITE_ERROR', 'ECONNRESET']) {
      expect(isBrokenDatabase(sqlite(code))).toBe(false);
    }
    expect(isBrokenDatabase(new TypeError('event.slice is not a function'))).toBe(false);
    expect(isBrokenDatabase('SQLITE_CORRUPT')).toBe(false);
  });
});
