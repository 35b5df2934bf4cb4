/** A button that, when it cannot be used, says why: on itself, in its tooltip and to a screen reader. */
export function Action(props: { id: string; k?: string; label: string; onClick: () => unknown; why: string | undefined; primary?: boolean; small?: boolean }) {
  const whyId = `why-${props.id}`;
  const className = ['action', props.primary ? 'primary' : '', props.small ? 'small' : ''].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      className={className}
      data-action={props.id}
      onClick={() => void props.onClick()}
      disabled={props.why !== undefined}
      title={props.why}
      aria-describedby={props.why ? whyId : undefined}
      {...(props.k ? { 'aria-keyshortcuts': props.k } : {})}
    >
      <span className="action-label">
        {props.k && <kbd>{props.k}</kbd>} {props.label}
      </span>
      {props.why && (
        <small className="why" id={whyId}>
          {props.why}
        </small>
      )}
    </button>
  );
}

/** A small button of the header that, when it cannot be used, says why under itself. */
export function HeaderButton(props: { id: string; label: string; onClick: () => unknown; why: string | undefined }) {
  const whyId = `why-${props.id}`;
  return (
    <span className="header-button">
      <button type="button" onClick={() => void props.onClick()} disabled={props.why !== undefined} title={props.why} aria-describedby={props.why ? whyId : undefined}>
        {props.label}
      </button>
      {props.why && (
        <small className="why" id={whyId}>
          {props.why}
        </small>
      )}
    </span>
  );
}
