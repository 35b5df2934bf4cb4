import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ProvinceUser } from '@xephang/protocol';
import { usePeriod } from '../shared/report/usePeriod';
import { AdminPage } from './AdminPage';
import { provinceApi, ProvinceContext, request, SESSION_KEY } from './api';
import { CommunePage } from './CommunePage';
import { FieldsPage } from './FieldsPage';
import { Login } from './Login';
import { OverviewPage } from './OverviewPage';
import { ROLE_TEXT, SESSION_ENDED } from './text';

const PAGES = [
  { id: 'overview', label: 'Tổng hợp các xã', en: 'All communes' },
  { id: 'fields', label: 'Theo lĩnh vực', en: 'By field' },
  { id: 'commune', label: 'Báo cáo một xã', en: 'One commune' },
  { id: 'admin', label: 'Quản trị', en: 'Administration', adminOnly: true },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

interface Session {
  token: string;
  user: ProvinceUser;
}

function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

/** The page and commune in the address (`?page=commune&code=12345`): a reload or a shared link opens the same page. */
function fromAddress(): { page: PageId; code: string | undefined } {
  const params = new URLSearchParams(window.location.search);
  const page = params.get('page');
  return { page: PAGES.some((p) => p.id === page) ? (page as PageId) : 'overview', code: params.get('code') ?? undefined };
}

/** The province's pages: a login, then every commune's figures, by field, one commune, and the administration. */
export function Province() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [message, setMessage] = useState<string>();

  const end = useCallback((why?: string) => {
    sessionStorage.removeItem(SESSION_KEY);
    setMessage(why);
    setSession(undefined);
  }, []);

  // The stored session is checked once: a restart keeps it valid, an expired one goes back to the form.
  useEffect(() => {
    if (!session) return;
    void request<ProvinceUser>('GET', '/api/v1/me', { token: session.token }).then((r) => {
      if (r.ok) setSession((s) => (s ? { ...s, user: r.data } : s));
      else if (r.status === 401) end(SESSION_ENDED);
    });
  }, [session?.token]);

  if (!session) {
    return (
      <Login
        message={message}
        onLogin={(s) => {
          sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
          setMessage(undefined);
          setSession(s);
        }}
      />
    );
  }
  return <Pages session={session} onEnd={end} />;
}

function Pages({ session, onEnd }: { session: Session; onEnd: (why?: string) => void }) {
  const initial = fromAddress();
  const [page, setPage] = useState<PageId>(initial.page);
  const [code, setCode] = useState<string | undefined>(initial.code);
  // One period for every page: the overview's month is the month a commune is drilled into.
  const period = usePeriod();
  const isAdmin = session.user.role === 'admin';

  const api = useMemo(
    () =>
      provinceApi(
        session.token,
        session.user,
        // The server's words name its API; these say what happened to this person.
        () => onEnd(SESSION_ENDED),
        () => {
          // Logged out on the server too; the page leaves whatever it answers.
          void request('DELETE', '/api/v1/session', { token: session.token });
          onEnd();
        },
      ),
    [session.token, session.user, onEnd],
  );

  const go = (next: PageId, nextCode = code) => {
    setPage(next);
    setCode(nextCode);
    const url = new URL(window.location.href);
    url.searchParams.set('page', next);
    if (nextCode) url.searchParams.set('code', nextCode);
    else url.searchParams.delete('code');
    window.history.replaceState(null, '', url);
  };
  const shown = page === 'admin' && !isAdmin ? 'overview' : page;

  return (
    <ProvinceContext.Provider value={api}>
      <div className="admin province">
        <header className="admin-header">
          <div>
            <div className="admin-center">xephang — Sở / UBND tỉnh</div>
            <div className="admin-title">
              Trung tâm phục vụ hành chính công các xã <small>Commune service centers</small>
            </div>
          </div>
          <div className="admin-user">
            <span data-testid="province-user">
              <strong>{session.user.name}</strong> ({session.user.username}, {ROLE_TEXT[session.user.role]})
            </span>
            <button type="button" onClick={api.logout}>
              Đăng xuất <small>Log out</small>
            </button>
          </div>
        </header>
        <nav className="admin-tabs" role="tablist" aria-label="Trang">
          {PAGES.filter((p) => !('adminOnly' in p) || isAdmin).map((p) => (
            <button type="button" role="tab" key={p.id} aria-selected={shown === p.id} data-page={p.id} className={shown === p.id ? 'selected' : undefined} onClick={() => go(p.id)}>
              {p.label} <small>{p.en}</small>
            </button>
          ))}
        </nav>
        <main className="admin-main">
          {shown === 'overview' && <OverviewPage period={period} onOpen={(c) => go('commune', c)} />}
          {shown === 'fields' && <FieldsPage period={period} />}
          {shown === 'commune' && <CommunePage period={period} code={code} onChoose={(c) => go('commune', c)} />}
          {shown === 'admin' && <AdminPage />}
        </main>
        <footer className="admin-footer no-print">Số liệu do máy chủ các xã gửi lên; mỗi con số tính như báo cáo của chính xã đó.</footer>
      </div>
    </ProvinceContext.Provider>
  );
}
