import { useEffect, useRef, useState } from 'react';

/** A code longer than this is no scan: what was held is dropped and the keys work again. */
const MAX_CODE = 80;
/**
 * A capture that gets no key for this long was a scan cut short (its Enter lost, the cable
 * pulled, a prefix typed by hand): it is dropped, so the clerk's keys (1–4, N…) work again
 * instead of vanishing until Escape. Not how a scan is recognised (the prefix is): a scanner
 * types a whole code, even a slow one, well within it.
 */
const ABANDON_MS = 2000;

/**
 * A USB scanner in keyboard mode types the center's prefix, the code, then Enter. This listens on
 * the whole window, before any field (capture phase), so the burst lands in `onScan` wherever the
 * focus is — the search box, the code field, nowhere — and never in a field or a shortcut.
 * Recognised by the prefix, not by key timing: a slow scanner or a busy PC works the same.
 *
 * A key that could begin the prefix is held back until the next key says whether it does; if not,
 * the held keys are typed into the focused field (a shortcut outside a field is dropped, which is
 * why the hub refuses a prefix beginning with a letter, digit or space). Escape ends a capture,
 * as does a code over 80 characters, a click or a touch, and two seconds without a key;
 * `scanning` says one is under way, for the screen to show.
 */
export function useScanner(prefix: string, onScan: (code: string) => void): { scanning: boolean } {
  const [scanning, setScanning] = useState(false);
  const latest = useRef(onScan);
  useEffect(() => {
    latest.current = onScan;
  });

  useEffect(() => {
    if (prefix === '') return;
    let held = '';
    let code: string | undefined;
    let abandon: ReturnType<typeof setTimeout> | undefined;
    const wait = () => {
      clearTimeout(abandon);
      abandon = setTimeout(end, ABANDON_MS);
    };
    const stop = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    const hold = (e: KeyboardEvent) => {
      stop(e);
      held += e.key;
      if (held !== prefix) return;
      held = '';
      code = '';
      setScanning(true);
      wait();
    };
    function end() {
      clearTimeout(abandon);
      if (code === undefined) return;
      code = undefined;
      setScanning(false);
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
      if (code !== undefined) {
        stop(e);
        wait();
        if (e.key === 'Enter') {
          const scanned = code.trim();
          end();
          if (scanned !== '') latest.current(scanned);
        } else if (e.key === 'Escape') {
          end();
        } else if (e.key.length === 1) {
          code += e.key;
          if (code.length > MAX_CODE) end();
        }
        return;
      }
      if (e.key.length !== 1) return;
      if (e.key === prefix[held.length]) return hold(e);
      if (held === '') return;
      // Not the prefix after all: the held keys belong to the field the clerk is typing in.
      const target = e.target;
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) document.execCommand('insertText', false, held);
      held = '';
      if (e.key === prefix[0]) hold(e);
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('pointerdown', end, true);
    return () => {
      clearTimeout(abandon);
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('pointerdown', end, true);
    };
  }, [prefix]);

  return { scanning };
}
