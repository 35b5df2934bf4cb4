import { useCallback, useEffect, useRef, useState } from 'react';
import { likelyCalls } from '@xephang/core';
import type { HubEvent, Snapshot } from '@xephang/protocol';
import { callAudio, callWavUrl, createAnnouncer, VOICE_SETTINGS_URL, type Announcer, type PlaybackSettings } from '@xephang/voice/browser';

declare global {
  interface Window {
    /** What the TV said, in order: "start 2005 → quầy 3", "end 2005 → quầy 3" (for a technician's console, and the tests). */
    xephangVoiceLog?: string[];
    /** The calls whose audio the TV holds ready ahead of time (their URLs). */
    xephangVoiceAhead?: () => string[];
  }
}

const DEFAULTS: PlaybackSettings = { volume: 1, callRepeats: 1, recallRepeats: 2 };

/**
 * The TV's voice: every live call is announced (chime, then Vietnamese speech from the hub),
 * one after another, never over each other. `blocked` is true while the browser refuses sound
 * until a tap; `unlock` is for the "Bật âm thanh" button.
 */
export function useAnnouncer() {
  const announcer = useRef<Announcer>(undefined);
  const settings = useRef<PlaybackSettings>(DEFAULTS);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    window.xephangVoiceLog = [];
    const a = createAnnouncer({
      onEvent: (e) => {
        if (e.type === 'blocked') setBlocked(true);
        if (e.type === 'unlocked') setBlocked(false);
        if ((e.type === 'start' || e.type === 'end' || e.type === 'error') && e.call.label) window.xephangVoiceLog?.push(`${e.type} ${e.call.label}`);
      },
    });
    announcer.current = a;
    window.xephangVoiceAhead = () => a.readyAhead();
    // A plain browser keeps audio suspended until a tap: ask for it before the first call comes.
    const probe = typeof AudioContext === 'undefined' ? undefined : new AudioContext();
    if (probe && probe.state !== 'running') setBlocked(true);
    void probe?.close();
    loadSettings();
    return () => a.dispose();
  }, []);

  /** The admin's volume and repeats; read at start and again whenever the configuration changes. */
  function loadSettings(): void {
    fetch(VOICE_SETTINGS_URL)
      .then((r) => r.json() as Promise<{ ok: boolean; data?: PlaybackSettings }>)
      .then((body) => {
        if (body.ok && body.data && announcer.current) {
          settings.current = body.data;
          announcer.current.volume = body.data.volume;
        }
      })
      .catch(() => undefined);
  }

  /** Announces a live call; calls replayed after a reconnect are old news and stay silent. */
  const onEvent = (e: HubEvent, replayed: boolean) => {
    if (e.type === 'config:updated') loadSettings();
    if (replayed || e.type !== 'ticket:called' || !announcer.current) return;
    void announcer.current.announce(
      callAudio(
        { number: e.ticket.number, counter: e.counter.id, service: e.ticket.serviceId, recall: e.recall, ticketId: e.ticket.id, recalls: e.ticket.recalls },
        settings.current,
      ),
    );
  };

  /**
   * The calls likely next, by the hub's own rule (core's likelyCalls, the one its pre-renderer
   * follows): the announcer fetches and decodes the first few while the TV is quiet, so the
   * first announcement of a number starts as soon as its call arrives.
   */
  const foresee = useCallback((state: Snapshot | undefined) => {
    if (!state || !announcer.current) return;
    const waiting = state.tickets.filter((t) => t.state === 'waiting');
    const calls = likelyCalls(state.counters, () => waiting);
    announcer.current.ahead(calls.map((c) => callWavUrl({ number: c.ticket.number, counter: c.counterId, service: c.ticket.serviceId })));
  }, []);

  const unlock = async () => {
    if (await announcer.current?.unlock()) setBlocked(false);
  };

  return { blocked, unlock, onEvent, foresee };
}
