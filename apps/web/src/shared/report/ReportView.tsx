import { useState } from 'react';
import {
  LEGACY_SCALE_NAME,
  OFFICIAL_LEVELS_DEFAULT,
  OFFICIAL_SCORES,
  RATING_SCORES,
  RATING_TEXT,
  SATISFIED_SHARE_DEFINITION,
  SATISFIED_SHARE_DEFINITION_EN,
  TRIPS,
  TRIPS_TEXT,
  type OfficialRatingSummary,
  type RatingSummary,
  type Report,
  type TimeStats,
} from '@xephang/protocol';
import { compareNamesVi, WEEKDAYS_SHORT_VI } from '@xephang/core';
import { dateVi, timeVi } from '../format';
import { BarChart, OFFICIAL_COLOURS, OfficialRatingBar, RATING_COLOURS, RatingBar } from './charts';
import { hoursMinutes, minutes } from './durations';
import { shortDay } from './period';

const stat = (t: TimeStats) => (
  <>
    <td className="num">{t.count}</td>
    <td className="num">{minutes(t.meanMs)}</td>
    <td className="num">{minutes(t.medianMs)}</td>
    <td className="num">{minutes(t.p90Ms)}</td>
  </>
);

/** `0.8125` → `81,3%`; a dash without ratings. */
const share = (r: OfficialRatingSummary) =>
  r.satisfiedShare === null ? '—' : `${(r.satisfiedShare * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`;

const meanScore = (r: RatingSummary) => (r.mean === null ? '—' : r.mean.toLocaleString('vi-VN', { maximumFractionDigits: 2, minimumFractionDigits: 2 }));

/** A report as the hub's reports tab and the province's drill-down show it: one layout for both. */
export function ReportView({ report: r }: { report: Report }) {
  const days = r.load.byDay;
  const hours = r.load.byHour.map((n, h) => ({ n, h }));
  // Opening hours and whatever was issued outside them; never narrower than 07:00–17:00.
  const busy = hours.filter((x) => x.n > 0).map((x) => x.h);
  const firstHour = Math.min(7, ...busy);
  const lastHour = Math.max(16, ...busy);
  const shownHours = hours.slice(firstHour, lastHour + 1);
  const t = r.fieldTotal;
  const waitOf = (id: string) => r.waits.byField.find((w) => w.serviceId === id);
  const serviceOf = (id: string) => r.serviceTimes.byField.find((w) => w.serviceId === id);
  const waitAtCounter = (id: number) => r.waits.byCounter.find((w) => w.counterId === id);
  const serviceAtCounter = (id: number) => r.serviceTimes.byCounter.find((w) => w.counterId === id);

  return (
    <article className="report" data-testid="report">
      <header className="report-head">
        <h1>{r.centerName}</h1>
        <h2>Báo cáo tình hình tiếp nhận và giải quyết — {r.range.label}</h2>
        <p className="hint">
          Lập lúc {timeVi(r.generatedAt)}, {dateVi(r.generatedAt)}
        </p>
      </header>

      <div className="kpis">
        <Kpi label="Phiếu đã phát" value={t.issued} />
        <Kpi label="Lượt đã phục vụ" value={t.served} />
        <Kpi label="Hồ sơ tiếp nhận" value={t.received} />
        <Kpi label="Hướng dẫn" value={t.guidance} />
        <Kpi label="Trả kết quả" value={t.returned} />
        <Kpi label="Vắng mặt" value={t.noShow} />
        <Kpi label="Chờ trung bình (phút)" value={minutes(r.waits.all.meanMs)} />
        <Kpi label="Có mã hồ sơ" value={t.withDossier} />
        <Kpi label="Tỷ lệ hài lòng (thang 5 mức)" value={share(r.satisfaction.v5.all)} />
      </div>

      <h3>1. Kết quả theo lĩnh vực</h3>
      <table className="admin-table report-table" data-testid="report-fields">
        <thead>
          <tr>
            <th>Lĩnh vực</th>
            <th title="Mã lĩnh vực trong Cơ sở dữ liệu quốc gia về thủ tục hành chính (quản trị nhập ở mục Lĩnh vực)">Mã lĩnh vực</th>
            <th>Phiếu phát</th>
            <th>Chuyển đến</th>
            <th>Đã phục vụ</th>
            <th>Tiếp nhận hồ sơ</th>
            <th>Hướng dẫn</th>
            <th>Trả kết quả</th>
            <th>Khác</th>
            <th title="Lượt cán bộ kết thúc mà không bấm Bắt đầu phục vụ: giờ bắt đầu tính từ lúc gọi số">Không bấm bắt đầu</th>
            <th>Vắng mặt</th>
            <th>Hết hạn</th>
            <th title="Lượt đã phục vụ có mã hồ sơ (mã trên giấy tiếp nhận hồ sơ và hẹn trả kết quả)">Có mã hồ sơ</th>
          </tr>
        </thead>
        <tbody>
          {r.fields.map((f) => (
            <tr key={f.serviceId} data-service={f.serviceId}>
              <td>{f.nameVi}</td>
              <td className="official-code" data-col="officialCode">{f.officialCode ?? '—'}</td>
              <td className="num">{f.issued}</td>
              <td className="num">{f.transferredIn}</td>
              <td className="num">{f.served}</td>
              <td className="num">{f.received}</td>
              <td className="num">{f.guidance}</td>
              <td className="num">{f.returned}</td>
              <td className="num">{f.other}</td>
              <td className="num">{f.startedAtCall}</td>
              <td className="num">{f.noShow}</td>
              <td className="num">{f.expired}</td>
              <td className="num">{f.withDossier}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>Tổng cộng</th>
            <td />
            <td className="num">{t.issued}</td>
            <td className="num">{t.transferredIn}</td>
            <td className="num">{t.served}</td>
            <td className="num">{t.received}</td>
            <td className="num">{t.guidance}</td>
            <td className="num">{t.returned}</td>
            <td className="num">{t.other}</td>
            <td className="num">{t.startedAtCall}</td>
            <td className="num">{t.noShow}</td>
            <td className="num">{t.expired}</td>
            <td className="num">{t.withDossier}</td>
          </tr>
        </tfoot>
      </table>
      {t.served > 0 && (
        <p className="hint" data-testid="report-started-at-call">
          {t.startedAtCall === 0
            ? `Cả ${t.served} lượt đã phục vụ đều được bấm "Bắt đầu phục vụ".`
            : `${t.startedAtCall} trong ${t.served} lượt đã phục vụ được kết thúc mà không bấm "Bắt đầu phục vụ": thời gian phục vụ của các lượt này tính từ lúc gọi số.`}
        </p>
      )}

      <h3>2. Lượng công dân</h3>
      <div className="charts">
        <BarChart title="Phiếu phát theo giờ trong ngày" labels={shownHours.map((x) => `${x.h}h`)} series={[{ name: 'Phiếu', colour: '#0b3a82', values: shownHours.map((x) => x.n) }]} />
        {days.length > 1 && <BarChart title="Phiếu phát theo thứ trong tuần" labels={WEEKDAYS_SHORT_VI} series={[{ name: 'Phiếu', colour: '#0b3a82', values: r.load.byWeekday }]} />}
        {days.length > 1 && days.length <= 62 && (
          <BarChart
            title="Theo ngày"
            labels={days.map((d) => shortDay(d.day))}
            series={[
              { name: 'Phiếu phát', colour: '#0b3a82', values: days.map((d) => d.issued) },
              { name: 'Đã phục vụ', colour: '#1d8a4e', values: days.map((d) => d.served) },
            ]}
          />
        )}
      </div>

      <h3>3. Thời gian chờ và thời gian phục vụ (phút)</h3>
      <table className="admin-table report-table">
        <thead>
          <tr>
            <th rowSpan={2} />
            <th colSpan={4}>Chờ (lấy số → được gọi)</th>
            <th colSpan={4}>Phục vụ (bắt đầu → kết thúc)</th>
          </tr>
          <tr>
            <th>Lượt</th>
            <th>TB</th>
            <th>Trung vị</th>
            <th>90%</th>
            <th>Lượt</th>
            <th>TB</th>
            <th>Trung vị</th>
            <th>90%</th>
          </tr>
        </thead>
        <tbody>
          <tr className="total">
            <th>Toàn trung tâm</th>
            {stat(r.waits.all)}
            {stat(r.serviceTimes.all)}
          </tr>
          <tr className="group">
            <th colSpan={9}>Theo lĩnh vực</th>
          </tr>
          {r.fields.map((f) => (
            <tr key={f.serviceId}>
              <td>{f.nameVi}</td>
              {stat(waitOf(f.serviceId) ?? empty)}
              {stat(serviceOf(f.serviceId) ?? empty)}
            </tr>
          ))}
          <tr className="group">
            <th colSpan={9}>Theo quầy</th>
          </tr>
          {r.counters.map((c) => (
            <tr key={c.counterId}>
              <td>{c.name}</td>
              {stat(waitAtCounter(c.counterId) ?? empty)}
              {stat(serviceAtCounter(c.counterId) ?? empty)}
            </tr>
          ))}
        </tbody>
      </table>

      <h3>4. Quầy và cán bộ</h3>
      <WorkTable title="Quầy" rows={r.counters.map((c) => ({ key: `c${c.counterId}`, ...c }))} />
      <WorkTable title="Cán bộ" rows={[...r.clerks].sort((a, b) => compareNamesVi(a.name, b.name)).map((c) => ({ key: `k${c.clerkId}`, ...c }))} />
      {r.pauseReasons.length > 0 && (
        <>
          <h4>Tạm nghỉ theo lý do</h4>
          <table className="admin-table report-table narrow">
            <thead>
              <tr>
                <th>Lý do</th>
                <th>Số lần</th>
                <th>Tổng thời gian</th>
              </tr>
            </thead>
            <tbody>
              {r.pauseReasons.map((p) => (
                <tr key={p.reason}>
                  <td>{p.reason}</td>
                  <td className="num">{p.count}</td>
                  <td className="num">{hoursMinutes(p.ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h3>5. Mức độ hài lòng của công dân</h3>
      <Satisfaction s={r.satisfaction} />
    </article>
  );
}

const empty: TimeStats = { count: 0, meanMs: null, medianMs: null, p90Ms: null };

function Kpi({ label, value }: { label: string; value: number | string }) {
  return (
    <div className="kpi">
      <span className="kpi-value">{value}</span>
      <span className="kpi-label">{label}</span>
    </div>
  );
}

/**
 * The official five levels first, with the share's definition beside its figure, the reasons and
 * the trips; the old four-level scale below only when the range holds ratings on it.
 */
function Satisfaction({ s }: { s: Report['satisfaction'] }) {
  const v5 = s.v5;
  const answeredTrips = v5.all.trips.reduce((a, b) => a + b, 0);
  return (
    <>
      <p className="definition" data-testid="satisfied-definition">
        <strong>{SATISFIED_SHARE_DEFINITION}.</strong> <span className="hint">{SATISFIED_SHARE_DEFINITION_EN}.</span>
      </p>
      <div className="rating-legend">
        {OFFICIAL_SCORES.map((sc) => (
          <span key={sc}>
            <i style={{ background: OFFICIAL_COLOURS[sc] }} /> {OFFICIAL_LEVELS_DEFAULT[sc].vi}
          </span>
        ))}
      </div>
      <table className="admin-table report-table" data-testid="report-satisfaction">
        <thead>
          <tr>
            <th />
            <th>Lượt đánh giá</th>
            {OFFICIAL_SCORES.map((sc) => (
              <th key={sc}>{OFFICIAL_LEVELS_DEFAULT[sc].vi}</th>
            ))}
            <th title={SATISFIED_SHARE_DEFINITION}>Tỷ lệ hài lòng</th>
            <th className="bar-col">Phân bố</th>
          </tr>
        </thead>
        <tbody>
          <OfficialRow name="Toàn trung tâm" rating={v5.all} total />
          {v5.byField.map((f) => (
            <OfficialRow key={f.serviceId} name={f.nameVi} rating={f} />
          ))}
          {v5.byCounter.map((c) => (
            <OfficialRow key={`c${c.counterId}`} name={c.name} rating={c} />
          ))}
          {[...v5.byClerk].sort((a, b) => compareNamesVi(a.name, b.name)).map((c) => (
            <OfficialRow key={`k${c.clerkId}`} name={`Cán bộ ${c.name}`} rating={c} />
          ))}
        </tbody>
      </table>
      <div className="report-pair">
        <div>
          <h4>Lý do chưa hài lòng (từ "Bình thường" trở xuống)</h4>
          {v5.all.reasons.length === 0 ? (
            <p className="hint">Chưa có lý do nào được chọn.</p>
          ) : (
            <table className="admin-table report-table narrow" data-testid="report-reasons">
              <thead>
                <tr>
                  <th>Lý do</th>
                  <th>Số lượt</th>
                  <th>Theo cán bộ</th>
                </tr>
              </thead>
              <tbody>
                {v5.all.reasons.map((reason) => (
                  <tr key={reason.reason}>
                    <td>{reason.reason}</td>
                    <td className="num">{reason.count}</td>
                    <td className="hint">
                      {v5.byClerk
                        .map((c) => [c.name, c.reasons.find((x) => x.reason === reason.reason)?.count ?? 0] as const)
                        .filter(([, n]) => n > 0)
                        .map(([name, n]) => `${name} ${n}`)
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h4>Số lần đến cho việc này</h4>
          <table className="admin-table report-table narrow" data-testid="report-trips">
            <tbody>
              {TRIPS.map((n) => (
                <tr key={n}>
                  <td>{TRIPS_TEXT[n].vi}</td>
                  <td className="num">{v5.all.trips[n - 1]}</td>
                </tr>
              ))}
              <tr>
                <td>Không trả lời</td>
                <td className="num">{v5.all.count - answeredTrips}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </div>
      {s.all.count > 0 && (
        <section data-testid="report-satisfaction-legacy">
          <h4>Đánh giá theo {LEGACY_SCALE_NAME} ({s.all.count} lượt, trước khi dùng thang 5 mức; không quy đổi, không tính vào tỷ lệ hài lòng)</h4>
          <div className="rating-legend">
            {RATING_SCORES.map((sc) => (
              <span key={sc}>
                <i style={{ background: RATING_COLOURS[sc] }} /> {RATING_TEXT[sc].vi}
              </span>
            ))}
          </div>
          <table className="admin-table report-table">
            <thead>
              <tr>
                <th />
                <th>Lượt đánh giá</th>
                {RATING_SCORES.map((sc) => (
                  <th key={sc}>{RATING_TEXT[sc].vi}</th>
                ))}
                <th>Điểm TB (1–4)</th>
                <th className="bar-col">Tỷ lệ</th>
              </tr>
            </thead>
            <tbody>
              <SatisfactionRow name="Toàn trung tâm" rating={s.all} total />
              {s.byField.filter((f) => f.count > 0).map((f) => (
                <SatisfactionRow key={f.serviceId} name={f.nameVi} rating={f} />
              ))}
              {[...s.byClerk].filter((c) => c.count > 0).sort((a, b) => compareNamesVi(a.name, b.name)).map((c) => (
                <SatisfactionRow key={`k${c.clerkId}`} name={`Cán bộ ${c.name}`} rating={c} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function OfficialRow({ name, rating, total = false }: { name: string; rating: OfficialRatingSummary; total?: boolean }) {
  return (
    <tr className={total ? 'total' : undefined}>
      <td>{name}</td>
      <td className="num">{rating.count}</td>
      {OFFICIAL_SCORES.map((sc) => (
        <td className="num" key={sc}>{rating.counts[sc - 1]}</td>
      ))}
      <td className="num">{share(rating)}</td>
      <td className="bar-col">
        <OfficialRatingBar rating={rating} />
      </td>
    </tr>
  );
}

function SatisfactionRow({ name, rating, total = false }: { name: string; rating: RatingSummary; total?: boolean }) {
  return (
    <tr className={total ? 'total' : undefined}>
      <td>{name}</td>
      <td className="num">{rating.count}</td>
      {RATING_SCORES.map((s) => (
        <td className="num" key={s}>{rating.counts[s - 1]}</td>
      ))}
      <td className="num">{meanScore(rating)}</td>
      <td className="bar-col">
        <RatingBar rating={rating} />
      </td>
    </tr>
  );
}

type WorkRow = Pick<Report['counters'][number], 'served' | 'serviceTime' | 'pauses' | 'pausedMs' | 'days' | 'rating' | 'ratingV5' | 'withDossier'> & { key: string; name: string };

function WorkTable({ title, rows }: { title: string; rows: WorkRow[] }) {
  if (rows.length === 0) return null;
  return (
    <table className="admin-table report-table work-table">
      <thead>
        <tr>
          <th>{title}</th>
          <th>Đã phục vụ</th>
          <th>Phục vụ TB (phút)</th>
          <th>Gọi số đầu – kết thúc cuối, theo ngày</th>
          <th>Tạm nghỉ</th>
          <th>Có mã hồ sơ</th>
          <th title={SATISFIED_SHARE_DEFINITION}>Tỷ lệ hài lòng</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => (
          <tr key={w.key}>
            <td>{w.name}</td>
            <td className="num">{w.served}</td>
            <td className="num">{minutes(w.serviceTime.meanMs)}</td>
            <td className="days">
              {w.days.length === 0 ? (
                '—'
              ) : w.days.length <= 3 ? (
                <DayList days={w.days} />
              ) : (
                <DaysDetails days={w.days} />
              )}
            </td>
            <td>{w.pauses ? `${w.pauses} lần, ${hoursMinutes(w.pausedMs)}` : '—'}</td>
            <td className="num">{w.withDossier}</td>
            <td className="num">
              {share(w.ratingV5)} {w.ratingV5.count ? <small>({w.ratingV5.count} lượt)</small> : null}
              {w.rating.count ? (
                <small className="legacy">
                  <br />
                  {LEGACY_SCALE_NAME}: {meanScore(w.rating)}/4 ({w.rating.count} lượt)
                </small>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A long list of days, drawn only once opened: a year holds thousands of lines nobody reads at once. */
function DaysDetails({ days }: { days: WorkRow['days'] }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{days.length} ngày làm việc</summary>
      {open && <DayList days={days} />}
    </details>
  );
}

function DayList({ days }: { days: WorkRow['days'] }) {
  return (
    <ul className="day-list">
      {days.map((d) => (
        <li key={d.day}>
          {shortDay(d.day)}: {d.firstCallAt === null ? '—' : timeVi(d.firstCallAt)} – {d.lastFinishAt === null ? '—' : timeVi(d.lastFinishAt)} · {d.served} lượt
        </li>
      ))}
    </ul>
  );
}
