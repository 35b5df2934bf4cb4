import { useEffect, useState } from 'react';
import { dateVi, timeVi } from './format';

/** Date and time in Vietnamese, ticking every second. */
export function Clock({ withDate = true }: { withDate?: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <div className="clock">
      <span className="clock-time">{timeVi(now)}</span>
      {withDate && <span className="clock-date">{dateVi(now)}</span>}
    </div>
  );
}
