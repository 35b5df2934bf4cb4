interface Props {
  online: boolean;
  refused: string | undefined;
  /** English beside the Vietnamese, on screens a foreigner may read. */
  english?: boolean;
  /** The screen's language when a citizen can switch it (the kiosk): the badge follows it. */
  lang?: 'vi' | 'en';
}

/** Always visible: a screen that lost the hub says so instead of showing stale numbers as live. */
export function ConnectionBadge({ online, refused, english = false, lang = 'vi' }: Props) {
  const text = refused
    ? refused
    : lang === 'en'
      ? online
        ? 'Connected'
        : 'Connection to the server lost — reconnecting… / Mất kết nối với máy chủ'
      : online
        ? 'Đã kết nối'
        : `Mất kết nối với máy chủ — đang kết nối lại…${english ? ' / Reconnecting…' : ''}`;
  return (
    <div className={`connection ${online ? 'online' : 'offline'}`} lang={lang} data-testid="connection" data-online={online} role="status">
      <span className="dot" aria-hidden="true" />
      {text}
    </div>
  );
}
