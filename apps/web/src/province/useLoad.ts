import { useState } from 'react';
import { periodParams } from '../shared/report/period';
import type { Period } from '../shared/report/usePeriod';
import { useProvince } from './api';

/** Loads a page's JSON for the period; keeps the last result and the server's message. */
export function useLoad<T>(path: string | undefined, period: Period) {
  const { get } = useProvince();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const load = async () => {
    if (!path || !period.query) return;
    setLoading(true);
    const r = await get<T>(`${path}?${periodParams(period.query)}`);
    setLoading(false);
    if (r.ok) {
      setData(r.data);
      setError(undefined);
    } else {
      setError(r.error.message);
    }
  };
  return { data, error, loading, load };
}
