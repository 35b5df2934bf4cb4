import { useEffect, useMemo, useRef, useState } from 'react';
import { buildEnglishIndex, buildIndex, type SearchIndex } from '@xephang/catalog';
import type { HubClient } from '@xephang/client';
import type { ProcedureView, ServiceView } from '@xephang/protocol';

/** How often a kiosk asks whether the catalog changed (the answer is tiny when it did not). */
const REFRESH_MS = 60_000;

export interface KioskCatalog {
  procedures: ProcedureView[] | undefined;
  /** Built once per catalog version: every name folded and split, so each key press only looks up. */
  index: SearchIndex | undefined;
  /** The same over the English names (the starter catalog's; an imported one has none). */
  indexEn: SearchIndex | undefined;
}

/** The hub's catalog of procedures, kept fresh while online, with its search index. */
export function useCatalog(client: HubClient | undefined, online: boolean, services: readonly ServiceView[]): KioskCatalog {
  const [procedures, setProcedures] = useState<ProcedureView[]>();
  const version = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!client || !online) return;
    let live = true;
    const fetch = async () => {
      const reply = await client.send('catalog:get', version.current === undefined ? {} : { since: version.current });
      if (!live || !reply.ok) return;
      version.current = reply.data.version;
      if (reply.data.procedures) setProcedures(reply.data.procedures);
    };
    void fetch();
    const timer = setInterval(() => void fetch(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, online]);

  const fieldKey = services.map((s) => `${s.id}=${s.nameVi}=${s.nameEn}`).join('|');
  const [index, indexEn] = useMemo(() => {
    if (!procedures) return [undefined, undefined];
    const names: Record<string, string> = {};
    const namesEn: Record<string, string> = {};
    for (const s of services) {
      names[s.id] = s.nameVi;
      namesEn[s.id] = s.nameEn;
    }
    return [buildIndex(procedures, names), buildEnglishIndex(procedures, namesEn)];
    // Services come as a new array with every broadcast: rebuild only when a name changed.
  }, [procedures, fieldKey]);

  return { procedures, index, indexEn };
}
