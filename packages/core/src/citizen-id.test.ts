import { describe, expect, it } from '@jest/globals';
import type { CitizenIdRule } from '@xephang/protocol';
import { citizenIdRefusal, keepsMark } from './citizen-id';

const off: CitizenIdRule = { mode: 'off', maxActive: 2 };
const limit: CitizenIdRule = { mode: 'limit', maxActive: 2 };
const required: CitizenIdRule = { mode: 'required', maxActive: 1 };
const ask = (scanned: boolean, held = 0, withoutCard = false) => ({ scanned, held, withoutCard });

describe('a field’s citizen ID rule', () => {
  it('off: anything goes and nothing is kept', () => {
    expect(citizenIdRefusal(off, ask(false))).toBeUndefined();
    expect(citizenIdRefusal(off, ask(true, 99))).toBeUndefined();
    expect(keepsMark(off, true)).toBe(false);
  });

  it('limit: a skip is fine; a scan holds at most maxActive', () => {
    expect(citizenIdRefusal(limit, ask(false))).toBeUndefined();
    expect(citizenIdRefusal(limit, ask(true, 1))).toBeUndefined();
    expect(citizenIdRefusal(limit, ask(true, 2))?.code).toBe('citizen_over_limit');
    expect(citizenIdRefusal(limit, ask(true, 2))?.message).toMatch(/^Quá số phiếu cho phép/);
    expect(keepsMark(limit, true)).toBe(true);
    expect(keepsMark(limit, false)).toBe(false);
  });

  it('required: no ticket without a scan, except the clerk’s override', () => {
    expect(citizenIdRefusal(required, ask(false))?.code).toBe('citizen_id_required');
    expect(citizenIdRefusal(required, ask(true, 0))).toBeUndefined();
    expect(citizenIdRefusal(required, ask(true, 1))?.code).toBe('citizen_over_limit');
    expect(citizenIdRefusal(required, ask(false, 0, true))).toBeUndefined();
  });

  it('the override is only for a field that needs the card', () => {
    expect(citizenIdRefusal(limit, ask(false, 0, true))?.code).toBe('invalid_payload');
    expect(citizenIdRefusal(off, ask(false, 0, true))?.code).toBe('invalid_payload');
  });
});
