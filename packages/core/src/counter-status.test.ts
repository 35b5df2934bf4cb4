import { describe, expect, it } from '@jest/globals';
import { callRefusal, decideStatusChange, type CounterStatus, type CounterStatusChange } from './counter-status';

const counter = (status: CounterStatus, pauseReason: string | null = null) => ({ name: 'Quầy 3', status, pauseReason });
const kind = (status: CounterStatus, change: CounterStatusChange) => {
  const d = decideStatusChange(counter(status), change);
  return d.kind === 'change' ? `${d.to} (${d.log})` : d.kind;
};

describe('counter status changes', () => {
  it('allows, ignores or refuses each change from each status', () => {
    const table = (['open', 'paused', 'closed'] as const).map((from) => [from, ...(['open', 'close', 'pause', 'resume'] as const).map((c) => kind(from, c))]);
    expect(table).toEqual([
      ['open', 'same', 'closed (counter:closed)', 'paused (counter:paused)', 'same'],
      ['paused', 'open (counter:opened)', 'closed (counter:closed)', 'paused (counter:paused)', 'open (counter:resumed)'],
      ['closed', 'open (counter:opened)', 'same', 'refused', 'refused'],
    ]);
  });

  it('says why a closed counter neither pauses nor resumes, in Vietnamese', () => {
    const pause = decideStatusChange(counter('closed'), 'pause');
    const resume = decideStatusChange(counter('closed'), 'resume');
    expect(pause.kind === 'refused' && [pause.error.code, pause.error.message]).toEqual(['counter_closed', 'Quầy 3 đang đóng, không cần tạm nghỉ.']);
    expect(resume.kind === 'refused' && resume.error.message).toBe('Quầy 3 đang đóng. Hãy bấm "Mở quầy".');
  });

  it('asks for an empty counter before closing or pausing, not before opening or resuming', () => {
    const busyWords = (from: CounterStatus, change: CounterStatusChange) => {
      const d = decideStatusChange(counter(from), change);
      return d.kind === 'change' ? (d.whileBusy ?? null) : undefined;
    };
    expect([busyWords('open', 'close'), busyWords('open', 'pause'), busyWords('closed', 'open'), busyWords('paused', 'resume')]).toEqual([
      'đóng quầy',
      'tạm nghỉ',
      null,
      null,
    ]);
  });
});

describe('callRefusal', () => {
  it('lets an open counter call and tells a closed or paused one what to press', () => {
    expect(callRefusal(counter('open'))).toBeUndefined();
    expect(callRefusal(counter('closed'))?.message).toBe('Quầy 3 đang đóng. Hãy bấm "Mở quầy" trước khi gọi số.');
    expect(callRefusal(counter('paused', 'Họp giao ban'))?.message).toBe('Quầy 3 đang tạm nghỉ (Họp giao ban). Hãy bấm "Tiếp tục" trước khi gọi số.');
  });
});
