import { useEffect, useId, useRef } from 'react';

/** One choice of a dialog: reachable with the arrow keys, chosen with Enter; a disabled one says why. */
export function Choice(props: { onClick: () => unknown; why: string | undefined; testId?: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <button
      type="button"
      data-choice
      data-testid={props.testId}
      onClick={() => void props.onClick()}
      disabled={props.why !== undefined}
      title={props.why}
      aria-describedby={props.why ? id : undefined}
    >
      {props.children}
      {props.why && (
        <small className="why" id={id}>
          {props.why}
        </small>
      )}
    </button>
  );
}
/**
 * A dialog over the screen. Its first choice has the focus; the arrow keys move among the
 * choices that can be used, Enter takes one. A refusal (`alert`) is shown inside it, above
 * the backdrop, where the clerk is looking.
 */
export function Modal(props: { title: string; onClose: () => void; alert?: React.ReactNode; focusFirst?: boolean; children: React.ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const focusFirst = props.focusFirst ?? true;
  useEffect(() => {
    if (focusFirst) box.current?.querySelector<HTMLButtonElement>('button[data-choice]:not(:disabled)')?.focus();
  }, [focusFirst]);
  const move = (e: React.KeyboardEvent) => {
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
    if (step === undefined || e.target instanceof HTMLInputElement) return;
    const choices = [...(box.current?.querySelectorAll<HTMLButtonElement>('button[data-choice]:not(:disabled)') ?? [])];
    if (choices.length === 0) return;
    e.preventDefault();
    const at = choices.indexOf(document.activeElement as HTMLButtonElement);
    choices[at === -1 ? 0 : (at + step + choices.length) % choices.length]!.focus();
  };
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div ref={box} className="modal" role="dialog" aria-modal="true" aria-label={props.title} onClick={(e) => e.stopPropagation()} onKeyDown={move}>
        <h2>{props.title}</h2>
        {props.children}
        {props.alert}
        <button type="button" className="close" onClick={props.onClose}>
          <kbd>Esc</kbd> Đóng
        </button>
      </div>
    </div>
  );
}
