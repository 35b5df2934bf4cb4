import { useEffect, useState } from 'react';
import type { HubClient } from '@xephang/client';
import type { KioskPrintJob } from '@xephang/protocol';
import { ownPrinter, REPORT_EVERY_MS, type OwnPrinter } from './own-printer';

/**
 * The kiosk's own printer for this page (own-printer.ts) wired to the hub's connection: asked
 * and reported on every (re)connection and every 30 s, and printing the jobs the hub pushes.
 * In a plain browser there is no bridge and every tap goes to the hub as it always did.
 */
export function useOwnPrinter(client: HubClient | undefined, online: boolean): OwnPrinter | undefined {
  const [own, setOwn] = useState<OwnPrinter>();
  useEffect(() => {
    if (!client) return;
    const p = ownPrinter(window.xephang, client.send);
    setOwn(p);
    const onJob = (job: KioskPrintJob) => void p.printPushed(job);
    client.socket.on('kiosk:print', onJob);
    const timer = setInterval(() => void p.tick(), REPORT_EVERY_MS);
    return () => {
      client.socket.off('kiosk:print', onJob);
      clearInterval(timer);
    };
  }, [client]);
  // A hub that restarted, or a kiosk back after the network dropped, hears the printer's state at
  // once, not 30 s later.
  useEffect(() => {
    if (own && online) void own.refresh();
  }, [own, online]);
  return own;
}
