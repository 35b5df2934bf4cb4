import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AdminConfig, CommandName, CommandPayload, CommandReplies, HubEvent } from '@xephang/protocol';
import { AdminContext, type AdminApi } from './api';
import { CatalogTab } from './CatalogTab';
import { CitizenIdCard } from './CitizenIdCard';
import { ClerksTab } from './ClerksTab';
import { CountersTab } from './CountersTab';
import { DevicesTab } from './DevicesTab';
import { LogTab } from './LogTab';
import { PasswordTab } from './PasswordTab';
import { ReportsTab } from './ReportsTab';
import { ServicesTab } from './ServicesTab';
import { SystemTab, systemNeedsCare, useSystemStatus } from './SystemTab';
import { TextsTab } from './TextsTab';
import { VisitsTab } from './VisitsTab';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { useHub } from '../shared/useHub';

/** The password stays in this tab's sessionStorage only: closing the tab logs out. */
const STORAGE_KEY = 'xephang.admin';

interface Login {
  name: string;
  password: string;
}

const TABS = [
  { id: 'reports', label: 'Báo cáo' },
  { id: 'visits', label: 'Lượt khách' },
  { id: 'services', label: 'Lĩnh vực' },
  { id: 'counters', label: 'Quầy' },
  { id: 'clerks', label: 'Cán bộ' },
  { id: 'texts', label: 'Hiển thị và giờ làm việc' },
  { id: 'catalog', label: 'Thủ tục' },
  { id: 'devices', label: 'Thiết bị và máy in' },
  { id: 'system', label: 'Hệ thống' },
  { id: 'log', label: 'Nhật ký thay đổi' },
  { id: 'password', label: 'Mật khẩu' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function loadLogin(): Login | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Login) : undefined;
  } catch {
    return undefined;
  }
}

export function Admin() {
  const [login, setLogin] = useState<Login | undefined>(loadLogin);
  const [refusal, setRefusal] = useState<string>();
  // The operator's name is kept when the hub refuses the password: only the password is typed again.
  const [lastName, setLastName] = useState('');
  if (!login) {
    return (
      <AdminLogin
        message={refusal}
        name={lastName}
        onLogin={(l) => {
          sessionStorage.setItem(STORAGE_KEY, JSON.stringify(l));
          setRefusal(undefined);
          setLogin(l);
        }}
      />
    );
  }
  return (
    <AdminSession
      login={login}
      onLogout={(message) => {
        sessionStorage.removeItem(STORAGE_KEY);
        setRefusal(message);
        setLastName(message ? login.name : '');
        setLogin(undefined);
      }}
      onPasswordChanged={(password) => {
        const l = { name: login.name, password };
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(l));
        setLogin(l);
      }}
    />
  );
}

function AdminSession({ login, onLogout, onPasswordChanged }: { login: Login; onLogout: (message?: string) => void; onPasswordChanged: (password: string) => void }) {
  const initialTab = (new URLSearchParams(window.location.search).get('tab') as TabId | null) ?? 'reports';
  const [tab, setTab] = useState<TabId>(TABS.some((t) => t.id === initialTab) ? initialTab : 'reports');
  const [config, setConfig] = useState<AdminConfig>();
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [session, setSession] = useState<string>();
  // A new password (changed on this screen) makes a new connection with it.
  const auth = useMemo(() => ({ role: 'admin' as const, password: login.password, adminName: login.name }), [login.password, login.name]);
  const hub = useHub(auth, (e: HubEvent) => {
    if (e.type === 'config:updated') void reload();
  });
  const client = hub.client;
  // Kept here, not in the tab: the tab's name turns red from any tab when the clock or the disk needs someone.
  const system = useSystemStatus(client, hub.online, tab === 'system');

  const reload = useCallback(async () => {
    const reply = await client?.send('config:get', {});
    if (reply?.ok) setConfig(reply.data);
  }, [client]);

  useEffect(() => {
    if (hub.online) void reload();
  }, [hub.online, reload]);

  useEffect(() => {
    // Reconnects present this session instead of the password: wrong passwords tried by someone
    // sharing this address lock the address, not this open screen.
    if (!hub.online || !client) return;
    void client.send('admin:session', {}).then((r) => {
      if (!r.ok) return;
      client.setSession(r.data.token);
      setSession(r.data.token);
    });
  }, [hub.online, client]);

  useEffect(() => {
    // A wrong password is final: back to the login form with the hub's message.
    if (hub.refused) onLogout(hub.refused);
  }, [hub.refused, onLogout]);

  useEffect(() => {
    // Another admin screen changed the password: the hub says so, then drops this one.
    const onError = (e: { event?: string; message: string }) => {
      if (e.event === 'admin:changePassword') onLogout(e.message);
    };
    client?.socket.on('hub:error', onError);
    return () => void client?.socket.off('hub:error', onError);
  }, [client, onLogout]);

  const api = useMemo((): AdminApi | undefined => {
    if (!client || !hub.state) return undefined;
    const send = <C extends CommandName>(name: C, payload: CommandPayload<C>) => client.send(name, payload);
    return {
      state: hub.state,
      config,
      online: hub.online,
      password: login.password,
      passwordChanged: onPasswordChanged,
      session,
      send,
      act: async <C extends CommandName>(name: C, payload: CommandPayload<C>, done: (data: CommandReplies[C]) => string) => {
        const reply = await send(name, payload);
        if (reply.ok) {
          setStatus({ kind: 'ok', text: done(reply.data) });
          return reply.data;
        }
        setStatus({ kind: 'error', text: reply.error.message });
        return undefined;
      },
    };
  }, [client, hub.state, hub.online, config, login.password, onPasswordChanged, session]);

  const choose = (id: TabId) => {
    setTab(id);
    setStatus(undefined);
    const url = new URL(window.location.href);
    url.searchParams.set('tab', id);
    window.history.replaceState(null, '', url);
  };

  return (
    <div className="admin">
      <header className="admin-header">
        <div>
          <div className="admin-center">{hub.state?.centerName ?? 'xephang'}</div>
          <div className="admin-title">Quản trị và báo cáo</div>
        </div>
        <div className="admin-user">
          <span>
            Người thao tác: <strong>{login.name}</strong>
          </span>
          <button type="button" onClick={() => onLogout()}>
            Đăng xuất
          </button>
        </div>
      </header>
      <nav className="admin-tabs" role="tablist">
        {TABS.map((t) => (
          <button type="button" role="tab" key={t.id} aria-selected={tab === t.id} data-tab={t.id} className={tab === t.id ? 'selected' : undefined} onClick={() => choose(t.id)}>
            {t.label}
            {t.id === 'system' && systemNeedsCare(system.status) && <span className="tab-alarm" data-testid="system-tab-alarm" role="img" aria-label="Cần xử lý ngay" title="Cần xử lý ngay" />}
          </button>
        ))}
      </nav>
      {status && (
        <div className={`admin-status ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'} data-testid="admin-status">
          {status.text}
          <button type="button" aria-label="Ẩn" onClick={() => setStatus(undefined)}>
            ×
          </button>
        </div>
      )}
      <main className="admin-main">
        {api ? (
          <AdminContext.Provider value={api}>
            {tab === 'reports' && <ReportsTab />}
            {tab === 'visits' && <VisitsTab />}
            {tab === 'services' && (
              <>
                <ServicesTab />
                <CitizenIdCard />
              </>
            )}
            {tab === 'counters' && <CountersTab />}
            {tab === 'clerks' && <ClerksTab />}
            {tab === 'texts' && <TextsTab />}
            {tab === 'catalog' && <CatalogTab />}
            {tab === 'devices' && <DevicesTab />}
            {tab === 'system' && <SystemTab seen={system} />}
            {tab === 'log' && <LogTab />}
            {tab === 'password' && <PasswordTab />}
          </AdminContext.Provider>
        ) : (
          <p className="loading">Đang kết nối với máy chủ…</p>
        )}
      </main>
      <footer className="admin-footer">
        <ConnectionBadge online={hub.online} refused={hub.refused} />
      </footer>
    </div>
  );
}

function AdminLogin({ message, name: lastName, onLogin }: { message: string | undefined; name: string; onLogin: (l: Login) => void }) {
  const [name, setName] = useState(lastName);
  const [password, setPassword] = useState('');
  return (
    <div className="admin admin-login-page">
      <form
        className="login"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && password) onLogin({ name: name.trim(), password });
        }}
      >
        <h1>Quản trị — Đăng nhập</h1>
        <p>Mỗi thay đổi được ghi vào nhật ký cùng tên người thao tác.</p>
        <label>
          Họ và tên người thao tác
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="name" aria-label="Họ và tên" />
        </label>
        <label>
          Mật khẩu quản trị
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={200} autoComplete="current-password" aria-label="Mật khẩu quản trị" />
        </label>
        <button type="submit" className="primary" disabled={!name.trim() || !password}>
          Đăng nhập
        </button>
        {message && (
          <div className="message error" role="alert">
            {message}
          </div>
        )}
      </form>
    </div>
  );
}
