import { useEffect, useState } from 'react';

/** A screen just switched on is not "lost" while its first connection is still under way. */
const FIRST_CONNECT_GRACE_MS = 3_000;

const TEXT = {
  title: 'Mất kết nối với máy chủ',
  titleEn: 'Lost connection to the queue server',
  body: 'Các số trên màn hình có thể đã cũ. Đang kết nối lại…',
  bodyEn: 'The numbers shown may be out of date. Reconnecting…',
  refused: 'Máy chủ từ chối màn hình này',
  refusedEn: 'The server refused this screen',
} as const;

/**
 * Across a hall screen that lost the hub: from across the room a small badge in a corner is
 * not seen, and numbers that look live would send people to counters that moved on.
 */
export function OfflineBanner({ refused, hadState }: { refused: string | undefined; hadState: boolean }) {
  const [late, setLate] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), FIRST_CONNECT_GRACE_MS);
    return () => clearTimeout(t);
  }, []);
  if (!hadState && !refused && !late) return null;
  return (
    <div className="offline-banner" role="alert" data-testid="offline-banner">
      <div className="offline-banner-title">
        {refused ? TEXT.refused : TEXT.title}
        <small>{refused ? TEXT.refusedEn : TEXT.titleEn}</small>
      </div>
      <div className="offline-banner-body">
        {refused ?? TEXT.body}
        {!refused && <small>{TEXT.bodyEn}</small>}
      </div>
    </div>
  );
}
