import { useEffect, useState } from 'react';
import { describePriorityRule } from '@xephang/core';
import { DEFAULT_PRIORITY_RULE, PRIORITY_EVERY_MAX, PRIORITY_MAX_WAIT_MINUTES, type PriorityRule } from '@xephang/protocol';
import { useAdmin } from './api';

/** How every counter orders priority and normal tickets: the rule in force, in a sentence, and its editor. */
export function PriorityRuleForm() {
  const { config, act, online } = useAdmin();
  const saved = config?.priorityRule;
  const [kind, setKind] = useState<PriorityRule['kind']>(DEFAULT_PRIORITY_RULE.kind);
  const [wait, setWait] = useState('30');
  const [every, setEvery] = useState('4');
  useEffect(() => {
    if (!saved) return;
    setKind(saved.kind);
    if (saved.kind === 'priorityFirst') setWait(String(saved.normalMaxWaitMinutes));
    else setEvery(String(saved.every));
  }, [saved]);

  const draft: PriorityRule = kind === 'priorityFirst' ? { kind, normalMaxWaitMinutes: Number(wait) } : { kind, every: Number(every) };
  const problem =
    kind === 'priorityFirst'
      ? inRange(wait, 1, PRIORITY_MAX_WAIT_MINUTES) ? undefined : `Thời gian chờ tối đa là số phút từ 1 đến ${PRIORITY_MAX_WAIT_MINUTES}.`
      : inRange(every, 2, PRIORITY_EVERY_MAX) ? undefined : `N là số lượt từ 2 đến ${PRIORITY_EVERY_MAX}.`;
  const unchanged = saved !== undefined && JSON.stringify(saved) === JSON.stringify(draft);
  const why = !online ? 'Mất kết nối với máy chủ.' : problem ?? (unchanged ? 'Quy tắc này đang được áp dụng.' : undefined);

  return (
    <section className="admin-section" data-testid="priority-rule">
      <h2>Thứ tự gọi số ưu tiên <small>Priority order</small></h2>
      <p className="priority-rule-now" data-testid="priority-rule-now">
        <strong>Đang áp dụng ở mọi quầy:</strong> {saved ? describePriorityRule(saved) : '…'}
      </p>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (why) return;
          void act('config:setPriorityRule', draft, (r) => `Đã lưu quy tắc gọi số ưu tiên: ${describePriorityRule(r)}`);
        }}
      >
        <label className="field inline">
          <input type="radio" name="priority-kind" checked={kind === 'priorityFirst'} onChange={() => setKind('priorityFirst')} />
          Ưu tiên trước (mặc định); số thường đã chờ quá
          <input
            type="number"
            min={1}
            max={PRIORITY_MAX_WAIT_MINUTES}
            value={wait}
            onChange={(e) => setWait(e.target.value)}
            onFocus={() => setKind('priorityFirst')}
            aria-label="Số phút chờ tối đa của số thường"
            className="short"
          />
          phút thì được gọi trước các số ưu tiên lấy sau nó
        </label>
        <label className="field inline">
          <input type="radio" name="priority-kind" checked={kind === 'oneInEvery'} onChange={() => setKind('oneInEvery')} />
          Một số ưu tiên trong mỗi
          <input
            type="number"
            min={2}
            max={PRIORITY_EVERY_MAX}
            value={every}
            onChange={(e) => setEvery(e.target.value)}
            onFocus={() => setKind('oneInEvery')}
            aria-label="N: số lượt gọi có một số ưu tiên"
            className="short"
          />
          lượt gọi
        </label>
        {!problem && !unchanged && <p className="hint" data-testid="priority-rule-draft">Sau khi lưu: {describePriorityRule(draft)}</p>}
        <button type="submit" className="primary" disabled={why !== undefined} title={why} aria-describedby={why ? 'why-priority-rule' : undefined}>
          Lưu quy tắc
        </button>
        {why && (
          <small className="why" id="why-priority-rule">
            {why}
          </small>
        )}
      </form>
    </section>
  );
}

function inRange(text: string, min: number, max: number): boolean {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
}
