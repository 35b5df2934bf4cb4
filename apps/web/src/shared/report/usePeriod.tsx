import { useState, type ReactNode } from 'react';
import type { ReportGet } from '@xephang/protocol';
import { addDays, isoWeekOf, localDate } from '@xephang/core';
import { DateField } from './DateField';
import { weekSpan } from './period';

/** The chosen period and its controls (see `usePeriod`). */
export interface Period {
  query: ReportGet | undefined;
  fields: ReactNode;
}

export type PeriodKind = 'day' | 'week' | 'month' | 'range';
export const PERIOD_KIND_TEXT: Record<PeriodKind, string> = { day: 'Ngày', week: 'Tuần', month: 'Tháng', range: 'Khoảng ngày' };

/**
 * The period a report covers, chosen as the hub's reports tab always has: a day, an ISO week
 * (by any of its days), a month (its number and year) or a range of whole days. `query` is
 * undefined while a field holds something that is not a date; `fields` are the controls.
 */
export function usePeriod(): Period {
  // Today in Vietnam, whatever the browser's own zone.
  const today = localDate(Date.now());
  const [kind, setKind] = useState<PeriodKind>('day');
  const [day, setDay] = useState(today);
  // A week is chosen by any of its days, a month by its number and year: the browser's own week
  // and month fields speak the browser's language ("Week 49, 2026").
  const [weekDay, setWeekDay] = useState(today);
  const [monthNo, setMonthNo] = useState(Number(today.slice(5, 7)));
  const [year, setYear] = useState(today.slice(0, 4));
  const week = weekDay ? isoWeekOf(weekDay) : undefined;
  const month = /^\d{4}$/.test(year) ? `${year}-${String(monthNo).padStart(2, '0')}` : undefined;
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);

  const query: ReportGet | undefined =
    kind === 'day' ? (day ? { day } : undefined) : kind === 'week' ? (week ? { week } : undefined) : kind === 'month' ? (month ? { month } : undefined) : from && to ? { from, to: addDays(to, 1) } : undefined;

  const fields = (
    <>
      <div className="choices" role="radiogroup" aria-label="Kỳ báo cáo">
        {(Object.keys(PERIOD_KIND_TEXT) as PeriodKind[]).map((k) => (
          <button type="button" role="radio" aria-checked={kind === k} key={k} className={kind === k ? 'selected' : undefined} onClick={() => setKind(k)}>
            {PERIOD_KIND_TEXT[k]}
          </button>
        ))}
      </div>
      {kind === 'day' && <DateField value={day} onChange={setDay} label="Ngày" />}
      {kind === 'week' && (
        <>
          <span>Tuần có ngày</span>
          <DateField value={weekDay} onChange={setWeekDay} label="Một ngày trong tuần" />
          {weekDay && <span className="hint" data-testid="week-span">{weekSpan(weekDay)}</span>}
        </>
      )}
      {kind === 'month' && (
        <>
          <select value={monthNo} onChange={(e) => setMonthNo(Number(e.target.value))} aria-label="Tháng">
            {Array.from({ length: 12 }, (_, i) => (
              <option key={i + 1} value={i + 1}>
                Tháng {i + 1}
              </option>
            ))}
          </select>
          <input
            type="text"
            inputMode="numeric"
            value={year}
            onChange={(e) => setYear(e.target.value.trim())}
            aria-label="Năm"
            maxLength={4}
            className={/^\d{4}$/.test(year) ? 'year-input' : 'year-input invalid'}
          />
        </>
      )}
      {kind === 'range' && (
        <>
          <DateField value={from} onChange={setFrom} label="Từ ngày" />
          <span>đến hết ngày</span>
          <DateField value={to} onChange={setTo} label="Đến ngày" {...(from ? { min: from } : {})} />
        </>
      )}
    </>
  );
  return { query, fields };
}
