import { useCallback, useEffect, useState } from 'react';
import type { AccessStatus } from '@xephang/protocol';
import { useAdmin } from './api';

/** How often the clerks and devices pages ask for the locks in force (they end on their own). */
const REFRESH_MS = 15_000;

/** The PIN and password locks in force and the clerks' idle time, kept fresh while a page shows them. */
export function useAccess(): { access: AccessStatus | undefined; reload: () => void } {
  const { send, online } = useAdmin();
  const [access, setAccess] = useState<AccessStatus>();
  const reload = useCallback(() => void send('access:get', {}).then((r) => r.ok && setAccess(r.data)), [send]);
  useEffect(() => {
    if (!online) return undefined;
    reload();
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [online, reload]);
  return { access, reload };
}
