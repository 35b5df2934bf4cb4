import { useEffect, useEffectEvent, useState } from 'react';
import { ProvinceUserCreateSchema, ProvinceUserUpdateSchema, type CommuneLinkState, type CommuneLinkView, type EnrolmentKeyView, type ProvinceAuditEntry, type ProvinceOverview, type ProvinceRole, type ProvinceUser } from '@xephang/protocol';
import { dateTimeVi, localDate } from '@xephang/core';
import { useProvince } from './api';
import { agoVi, behindVi } from './format';
import { LinkBadge } from './OverviewPage';
import { ENROL_STEPS, ROLE_TEXT } from './text';

type Status = { kind: 'ok' | 'error'; text: string } | undefined;

/** The province admin's page: communes, users, and who changed what. */
export function AdminPage() {
  const [status, setStatus] = useState<Status>();
  // Bumped after every change: the audit log below shows it at once.
  const [changes, setChanges] = useState(0);
  const say = (s: Status) => {
    setStatus(s);
    if (s?.kind === 'ok') setChanges((n) => n + 1);
  };
  return (
    <div className="province-admin">
      {status && (
        <div className={`admin-status ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'} data-testid="province-status">
          {status.text}
          <button type="button" aria-label="Ẩn" onClick={() => setStatus(undefined)}>
            ×
          </button>
        </div>
      )}
      <Communes say={say} />
      <Users say={say} />
      <Audit changes={changes} />
    </div>
  );
}

/** A refusal's words, or the success line; resolves with the data when it went through. */
function useAct(say: (s: Status) => void) {
  const { send } = useProvince();
  return async <T,>(method: 'POST' | 'PATCH', path: string, body: unknown, done: (data: T) => string): Promise<T | undefined> => {
    const r = await send<T>(method, path, body);
    if (!r.ok) {
      say({ kind: 'error', text: r.error.message });
      return undefined;
    }
    say({ kind: 'ok', text: done(r.data) });
    return r.data;
  };
}

function Communes({ say }: { say: (s: Status) => void }) {
  const { get } = useProvince();
  const act = useAct(say);
  const [list, setList] = useState<CommuneLinkView[]>();
  const [key, setKey] = useState<EnrolmentKeyView>();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ code: string; name: string }>();
  // The link's state (ok, late…) is the server's rule, read from today's overview rather than decided again here.
  const [links, setLinks] = useState<Map<string, CommuneLinkState['state']>>(new Map());
  const reload = async () => {
    const [r, today] = await Promise.all([get<CommuneLinkView[]>('/api/v1/admin/communes'), get<ProvinceOverview>(`/api/v1/overview?day=${localDate(Date.now())}`)]);
    if (r.ok) setList(r.data);
    else say({ kind: 'error', text: r.error.message });
    if (today.ok) setLinks(new Map(today.data.communes.map((c) => [c.code, c.link.state])));
  };
  const opened = useEffectEvent(() => void reload());
  useEffect(() => opened(), []);
  const now = Date.now();

  return (
    <section className="admin-section" aria-labelledby="communes-heading">
      <h2 id="communes-heading">
        Các xã <small>Communes</small>
      </h2>
      <form
        className="admin-form row"
        aria-label="Thêm xã"
        onSubmit={async (e) => {
          e.preventDefault();
          const made = await act<EnrolmentKeyView>('POST', '/api/v1/admin/communes', { code: code.trim(), name: name.trim() }, (k) => `Đã thêm xã ${k.name} (${k.code}).`);
          if (made) {
            setKey(made);
            setCode('');
            setName('');
            void reload();
          }
        }}
      >
        <label className="field">
          Mã xã (5 chữ số)
          <input value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" maxLength={5} className="short" aria-label="Mã xã mới" />
        </label>
        <label className="field">
          Tên xã
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} aria-label="Tên xã mới" />
        </label>
        <button type="submit" className="primary" disabled={!code.trim() || !name.trim()}>
          Thêm xã và cấp mã đăng ký
        </button>
      </form>
      {key && <KeyBox k={key} onClose={() => setKey(undefined)} />}
      {list && (
        <table className="admin-table" data-testid="admin-communes" aria-label="Danh sách xã">
          <thead>
            <tr>
              <th>Mã</th>
              <th>Tên</th>
              <th>Kết nối</th>
              <th>Dữ liệu mới nhất</th>
              <th>Chậm</th>
              <th>Phiên bản</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.code} data-commune={c.code}>
                <td>{c.code}</td>
                <td>
                  {renaming?.code === c.code ? (
                    <form
                      className="inline-form"
                      onSubmit={async (e) => {
                        e.preventDefault();
                        const done = await act<{ code: string; name: string }>('PATCH', `/api/v1/admin/communes/${c.code}`, { name: renaming.name.trim() }, (r) => `Đã đổi tên xã ${r.code} thành ${r.name}.`);
                        if (done) {
                          setRenaming(undefined);
                          void reload();
                        }
                      }}
                    >
                      <input value={renaming.name} onChange={(e) => setRenaming({ code: c.code, name: e.target.value })} maxLength={200} aria-label={`Tên mới của xã ${c.code}`} autoFocus />
                      <button type="submit" className="primary">
                        Lưu
                      </button>
                      <button type="button" onClick={() => setRenaming(undefined)}>
                        Huỷ
                      </button>
                    </form>
                  ) : (
                    c.name
                  )}
                </td>
                <td>
                  {c.revoked ? <LinkBadge state="revoked" /> : !c.enrolled ? <LinkBadge state="never" /> : links.has(c.code) ? <LinkBadge state={links.get(c.code)!} /> : null}
                  {c.keyPending && c.keyExpiresAt && <small className="block">Mã đăng ký chờ dùng đến {dateTimeVi(c.keyExpiresAt)}</small>}
                </td>
                <td>{agoVi(c.lastPushAt, now)}</td>
                <td>{behindVi(c.daysBehind)}</td>
                <td>{c.hubVersion ?? '—'}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => setRenaming({ code: c.code, name: c.name })} aria-label={`Đổi tên xã ${c.name}`}>
                    Đổi tên
                  </button>
                  <button
                    type="button"
                    aria-label={`Cấp mã đăng ký mới cho xã ${c.name}`}
                    onClick={async () => {
                      if (!window.confirm(`Cấp mã đăng ký mới cho xã ${c.name} (${c.code})? Khóa đang dùng của xã bị thu hồi ngay: xã phải đăng ký lại bằng mã mới.`)) return;
                      const made = await act<EnrolmentKeyView>('POST', `/api/v1/admin/communes/${c.code}/rotate`, {}, (k) => `Đã cấp mã đăng ký mới cho xã ${k.name}.`);
                      if (made) {
                        setKey(made);
                        void reload();
                      }
                    }}
                  >
                    Cấp mã mới
                  </button>
                  {!c.revoked && (
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Thu hồi khóa của xã ${c.name}`}
                      onClick={async () => {
                        if (!window.confirm(`Thu hồi khóa của xã ${c.name} (${c.code})? Xã sẽ không gửi được số liệu nữa cho đến khi được cấp mã mới. Số liệu đã nhận vẫn giữ.`)) return;
                        if (await act('POST', `/api/v1/admin/communes/${c.code}/revoke`, {}, () => `Đã thu hồi khóa của xã ${c.name}.`)) void reload();
                      }}
                    >
                      Thu hồi
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The one-time enrolment key: shown once, with a copy button and what the commune's admin does with it. */
function KeyBox({ k, onClose }: { k: EnrolmentKeyView; onClose: () => void }) {
  const [copied, setCopied] = useState<string>();
  return (
    <div className="key-box" role="region" aria-label="Mã đăng ký" data-testid="enrolment-key">
      <h3>
        Mã đăng ký của xã {k.name} ({k.code})
      </h3>
      <p className="warning">Mã chỉ hiện một lần này. Chép lại ngay; đóng khung này là không xem lại được (muốn mã khác thì bấm "Cấp mã mới").</p>
      <div className="key-line">
        <code data-testid="enrolment-key-value">{k.enrolmentKey}</code>
        <button
          type="button"
          className="primary"
          onClick={() =>
            navigator.clipboard
              .writeText(k.enrolmentKey)
              .then(() => setCopied('Đã chép vào bộ nhớ tạm.'))
              .catch(() => setCopied('Trình duyệt không cho chép: bôi đen mã rồi nhấn Ctrl+C.'))
          }
        >
          Chép mã <small>Copy</small>
        </button>
        {copied && <span role="status">{copied}</span>}
      </div>
      <p>Hết hạn lúc {dateTimeVi(k.expiresAt)}.</p>
      <ol>
        {ENROL_STEPS.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
      <button type="button" onClick={onClose}>
        Đã chép, đóng
      </button>
    </div>
  );
}

const zodText = (e: { issues: { message: string }[] }) => e.issues.map((i) => i.message).join(' ');

function Users({ say }: { say: (s: Status) => void }) {
  const { get, user: me } = useProvince();
  const act = useAct(say);
  const [list, setList] = useState<ProvinceUser[]>();
  const [form, setForm] = useState({ username: '', name: '', role: 'viewer' as ProvinceRole, password: '' });
  const [formError, setFormError] = useState<string>();
  const [resetting, setResetting] = useState<{ username: string; password: string }>();
  const reload = async () => {
    const r = await get<ProvinceUser[]>('/api/v1/admin/users');
    if (r.ok) setList(r.data);
    else say({ kind: 'error', text: r.error.message });
  };
  const opened = useEffectEvent(() => void reload());
  useEffect(() => opened(), []);
  const update = async (username: string, patch: Record<string, unknown>, done: string) => {
    const parsed = ProvinceUserUpdateSchema.safeParse(patch);
    if (!parsed.success) return say({ kind: 'error', text: zodText(parsed.error) });
    if (await act('PATCH', `/api/v1/admin/users/${encodeURIComponent(username)}`, parsed.data, () => done)) {
      setResetting(undefined);
      void reload();
    }
  };

  return (
    <section className="admin-section" aria-labelledby="users-heading">
      <h2 id="users-heading">
        Người dùng <small>Users</small>
      </h2>
      <p className="hint">Mỗi người một tài khoản, một mật khẩu. Quyền "xem báo cáo" chỉ đọc số liệu; "quản trị" còn quản lý xã, người dùng và xem nhật ký.</p>
      <form
        className="admin-form row"
        aria-label="Thêm người dùng"
        onSubmit={async (e) => {
          e.preventDefault();
          const parsed = ProvinceUserCreateSchema.safeParse(form);
          if (!parsed.success) return setFormError(zodText(parsed.error));
          setFormError(undefined);
          if (await act('POST', '/api/v1/admin/users', parsed.data, () => `Đã thêm người dùng ${parsed.data.username}.`)) {
            setForm({ username: '', name: '', role: 'viewer', password: '' });
            void reload();
          }
        }}
      >
        <label className="field">
          Tên đăng nhập
          <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} maxLength={40} autoCapitalize="none" aria-label="Tên đăng nhập mới" />
        </label>
        <label className="field">
          Họ và tên
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} maxLength={120} aria-label="Họ và tên" />
        </label>
        <label className="field">
          Quyền
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as ProvinceRole })} aria-label="Quyền">
            <option value="viewer">{ROLE_TEXT.viewer}</option>
            <option value="admin">{ROLE_TEXT.admin}</option>
          </select>
        </label>
        <label className="field">
          Mật khẩu (ít nhất 10 ký tự)
          <input type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} maxLength={200} autoComplete="new-password" aria-label="Mật khẩu ban đầu" />
        </label>
        <button type="submit" className="primary">
          Thêm người dùng
        </button>
        {formError && (
          <span className="field-error" role="alert">
            {formError}
          </span>
        )}
      </form>
      {list && (
        <table className="admin-table" data-testid="admin-users" aria-label="Danh sách người dùng">
          <thead>
            <tr>
              <th>Tên đăng nhập</th>
              <th>Họ và tên</th>
              <th>Quyền</th>
              <th>Trạng thái</th>
              <th>Đăng nhập gần nhất</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((u) => (
              <tr key={u.username} data-user={u.username} className={u.disabled ? 'inactive' : undefined}>
                <td>{u.username}</td>
                <td>{u.name}</td>
                <td>
                  <select
                    value={u.role}
                    aria-label={`Quyền của ${u.username}`}
                    disabled={u.username === me.username}
                    onChange={(e) => void update(u.username, { role: e.target.value }, `Đã đổi quyền của ${u.username} thành "${ROLE_TEXT[e.target.value as ProvinceRole]}".`)}
                  >
                    <option value="viewer">{ROLE_TEXT.viewer}</option>
                    <option value="admin">{ROLE_TEXT.admin}</option>
                  </select>
                </td>
                <td>{u.disabled ? 'Đã khóa' : 'Đang dùng'}</td>
                <td>{u.lastLoginAt === null ? 'chưa đăng nhập' : dateTimeVi(u.lastLoginAt)}</td>
                <td className="row-actions">
                  {u.username !== me.username && (
                    <button
                      type="button"
                      aria-label={`${u.disabled ? 'Mở khóa' : 'Khóa'} tài khoản ${u.username}`}
                      onClick={() => {
                        if (!u.disabled && !window.confirm(`Khóa tài khoản ${u.username}? Người này bị đăng xuất ngay và không đăng nhập được nữa.`)) return;
                        void update(u.username, { disabled: !u.disabled }, u.disabled ? `Đã mở khóa ${u.username}.` : `Đã khóa ${u.username}.`);
                      }}
                    >
                      {u.disabled ? 'Mở khóa' : 'Khóa'}
                    </button>
                  )}
                  {resetting?.username === u.username ? (
                    <form
                      className="inline-form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void update(u.username, { password: resetting.password }, `Đã đặt mật khẩu mới cho ${u.username}.`);
                      }}
                    >
                      <input type="password" value={resetting.password} onChange={(e) => setResetting({ username: u.username, password: e.target.value })} autoComplete="new-password" maxLength={200} aria-label={`Mật khẩu mới cho ${u.username}`} autoFocus />
                      <button type="submit" className="primary">
                        Lưu
                      </button>
                      <button type="button" onClick={() => setResetting(undefined)}>
                        Huỷ
                      </button>
                    </form>
                  ) : (
                    <button type="button" aria-label={`Đặt lại mật khẩu cho ${u.username}`} onClick={() => setResetting({ username: u.username, password: '' })}>
                      Đặt lại mật khẩu
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Audit({ changes }: { changes: number }) {
  const { get } = useProvince();
  const [entries, setEntries] = useState<ProvinceAuditEntry[]>();
  const [error, setError] = useState<string>();
  const read = useEffectEvent(() => {
    void get<ProvinceAuditEntry[]>('/api/v1/admin/audit?limit=200').then((r) => (r.ok ? setEntries(r.data) : setError(r.error.message)));
  });
  // Read again after each change the page made.
  useEffect(() => read(), [changes]);
  return (
    <section className="admin-section" aria-labelledby="audit-heading">
      <h2 id="audit-heading">
        Nhật ký thay đổi <small>Audit log</small>
      </h2>
      <p className="hint">200 dòng mới nhất: mọi thay đổi, mọi lần đăng nhập và đăng nhập sai.</p>
      {error && <p className="error">{error}</p>}
      {entries && (
        <table className="admin-table" data-testid="admin-audit" aria-label="Nhật ký thay đổi">
          <thead>
            <tr>
              <th>Lúc</th>
              <th>Người</th>
              <th>Việc</th>
              <th>Đối tượng</th>
              <th>Chi tiết</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.at}-${i}`} data-action={e.action}>
                <td className="nowrap">{dateTimeVi(e.at, { seconds: true })}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.target ?? '—'}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
