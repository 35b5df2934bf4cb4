interface Props {
  online: boolean;
  refused: string | undefined;
  /** English beside the Vietnamese, on screens a foreigner may read. */
  english?: boolean;
}

/** Always visible: a screen that lost the hub says so instead of showing stale numbers as live. */
export function ConnectionBadge({ online, refused, english = false }: Props) {
  const text = refused
    ? refused
    : online
      ? 'Đã kết nối'
      : `Mất kết nối với máy chủ — đang kết nối lại…${english ? ' / Reconnecting…' : ''}`;
  return (
    <div className={`connection ${online ? 'online' : 'offline'}`} data-testid="connection" data-online={online} role="status">
      <span className="dot" aria-hidden="true" />
      {text}
    </div>
  );
}
