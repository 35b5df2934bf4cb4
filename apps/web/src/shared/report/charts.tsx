import { OFFICIAL_LEVELS_DEFAULT, OFFICIAL_SCORES, RATING_SCORES, RATING_TEXT, type OfficialRatingSummary, type RatingSummary } from '@xephang/protocol';

export const RATING_COLOURS = { 4: '#1d8a4e', 3: '#5f9e2f', 2: '#d98200', 1: '#c8102e' } as const;
/** The five official levels, 5 (Rất hài lòng) to 1 (Rất không hài lòng): the tablet's own colours. */
export const OFFICIAL_COLOURS = { 5: '#1d8a4e', 4: '#4f8f23', 3: '#8a6d00', 2: '#c45200', 1: '#c8102e' } as const;

interface Series {
  name: string;
  colour: string;
  values: readonly number[];
}

/**
 * A bar chart drawn as plain SVG (no chart library): one group of bars per label, one bar per
 * series, the value above each bar. Scales to its container; prints as vectors.
 */
export function BarChart({ labels, series, title, height = 220 }: { labels: readonly string[]; series: readonly Series[]; title: string; height?: number }) {
  // Wide enough that a chart of few bars does not grow tall when it fills its box.
  const width = Math.max(760, labels.length * (series.length * 18 + 14));
  const top = 22;
  const bottom = 34;
  const left = 8;
  const plot = height - top - bottom;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const group = (width - left * 2) / labels.length;
  const bar = Math.min(40, (group - 8) / series.length);
  return (
    <figure className="chart">
      <figcaption>
        {title}
        {series.length > 1 && (
          <span className="legend">
            {series.map((s) => (
              <span key={s.name}>
                <i style={{ background: s.colour }} /> {s.name}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
        <line x1={left} x2={width - left} y1={top + plot} y2={top + plot} stroke="#9aa3b5" />
        {labels.map((label, i) => {
          const x0 = left + i * group + (group - bar * series.length) / 2;
          return (
            <g key={label}>
              {series.map((s, j) => {
                const v = s.values[i] ?? 0;
                const h = (v / max) * plot;
                const x = x0 + j * bar;
                return (
                  <g key={s.name}>
                    <rect x={x + 1} y={top + plot - h} width={bar - 2} height={h} fill={s.colour} rx={2} />
                    {v > 0 && (
                      <text x={x + bar / 2} y={top + plot - h - 4} textAnchor="middle" className="chart-value">
                        {v}
                      </text>
                    )}
                  </g>
                );
              })}
              <text x={left + i * group + group / 2} y={height - bottom + 18} textAnchor="middle" className="chart-label">
                {label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** One bar split by the four answers, "Rất hài lòng" first, with the count of each. */
export function RatingBar({ rating }: { rating: RatingSummary }) {
  if (rating.count === 0) return <span className="hint">Chưa có đánh giá</span>;
  return (
    <div className="rating-bar" role="img" aria-label={RATING_SCORES.map((s) => `${RATING_TEXT[s].vi}: ${rating.counts[s - 1]}`).join(', ')}>
      {RATING_SCORES.map((s) => {
        const n = rating.counts[s - 1]!;
        return n ? (
          <span key={s} style={{ flexGrow: n, background: RATING_COLOURS[s] }} title={`${RATING_TEXT[s].vi}: ${n}`}>
            {n}
          </span>
        ) : null;
      })}
    </div>
  );
}

/** One bar split by the five official levels, "Rất hài lòng" first, with the count of each. */
export function OfficialRatingBar({ rating }: { rating: OfficialRatingSummary }) {
  if (rating.count === 0) return <span className="hint">Chưa có đánh giá</span>;
  return (
    <div className="rating-bar" role="img" aria-label={OFFICIAL_SCORES.map((s) => `${OFFICIAL_LEVELS_DEFAULT[s].vi}: ${rating.counts[s - 1]}`).join(', ')}>
      {OFFICIAL_SCORES.map((s) => {
        const n = rating.counts[s - 1]!;
        return n ? (
          <span key={s} style={{ flexGrow: n, background: OFFICIAL_COLOURS[s] }} title={`${OFFICIAL_LEVELS_DEFAULT[s].vi}: ${n}`}>
            {n}
          </span>
        ) : null;
      })}
    </div>
  );
}
