import { describe, expect, it } from '@jest/globals';
import { transferRefusal } from './transfer';

describe('transferRefusal', () => {
  it('lets a ticket go to an open counter', () => {
    expect(transferRefusal({ name: 'Quầy 3', status: 'open', pauseReason: null })).toBeNull();
  });

  it('refuses a closed counter, naming it', () => {
    expect(transferRefusal({ name: 'Quầy 3', status: 'closed', pauseReason: null })).toBe('Quầy 3 đang đóng');
  });

  it('refuses a paused counter with its reason, or says none was given', () => {
    expect(transferRefusal({ name: 'Quầy 4', status: 'paused', pauseReason: 'Họp' })).toBe('Quầy 4 đang tạm nghỉ (Họp)');
    expect(transferRefusal({ name: 'Quầy 4', status: 'paused', pauseReason: null })).toBe('Quầy 4 đang tạm nghỉ (không ghi lý do)');
  });
});
