import { describe, expect, it } from '@jest/globals';
import { COMMAND_DOMAINS, COMMAND_NAMES, COMMAND_SCHEMAS } from './index';

describe('the command table, built from one table per domain', () => {
  const domains = Object.entries(COMMAND_DOMAINS).map(([domain, table]) => ({ domain, names: Object.keys(table) }));

  it('holds every command of every domain, each in one domain only', () => {
    // A name in two domains would be spread over silently: the counts would then differ.
    const all = domains.flatMap((d) => d.names);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('validates each command with its domain\'s schema', () => {
    for (const [domain, table] of Object.entries(COMMAND_DOMAINS)) {
      for (const [name, schema] of Object.entries(table)) {
        expect({ domain, name, same: COMMAND_SCHEMAS[name as keyof typeof COMMAND_SCHEMAS] === schema }).toEqual({ domain, name, same: true });
      }
    }
  });

  it('names every command `domain:verb` (sync alone has no domain)', () => {
    for (const name of COMMAND_NAMES) expect(name).toMatch(name === 'sync' ? /^sync$/ : /^[a-z]+:[a-z][A-Za-z]*$/);
  });
});
