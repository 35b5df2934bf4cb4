import { useState } from 'react';
import type { ClerkAdminView, LockoutView } from '@xephang/protocol';
import { timeVi } from '../shared/format';
import { useAdmin } from './api';
import { useAccess } from './useAccess';

/** Where a PIN lock holds, in the admin's words. */
function lockText(lock: LockoutView): string {
  const where = lock.kind === 'clerk' ? 'ở mọi quầy' : lock.device?.startsWith('local:counter') ? `trên máy quầy ${lock.device.slice('local:counter'.length)} (máy chủ)` : 'trên một thiết bị';
  return `Tạm khoá ${where} đến ${timeVi(lock.until)}`;
}

/** Why a PIN cannot be saved, naming the rule (the hub's: 4 to 8 digits); undefined when it can. */
export function pinProblem(pin: string, required: boolean): string | undefined {
  if (pin === '') return required ? 'Cần mã PIN: 4 đến 8 chữ số.' : undefined;
  if (!/^\d*$/.test(pin)) return 'Mã PIN chỉ gồm chữ số (0–9), từ 4 đến 8 số.';
  if (pin.length < 4) return `Mã PIN phải có 4 đến 8 chữ số (mới có ${pin.length}).`;
  if (pin.length > 8) return `Mã PIN có tối đa 8 chữ số (đang có ${pin.length}).`;
  return undefined;
}

/** Clerks: names, allowed counters, PIN reset, locked or not. */
export function ClerksTab() {
  const { config, state } = useAdmin();
  const { access, reload } = useAccess();
  const counterIds = state.counters.map((c) => c.id);
  if (!config) return <p className="loading">Đang tải…</p>;
  const locksOf = (id: number) => (access?.lockouts ?? []).filter((l) => l.clerkId === id);
  return (
    <section className="admin-section">
      <h2>Cán bộ <small>Clerks</small></h2>
      <p className="hint">
        Cán bộ đăng nhập ở quầy bằng mã PIN (4–8 chữ số) và chỉ ở các quầy được chọn. Đặt lại PIN hoặc khoá tài khoản sẽ đăng xuất cán bộ ngay.
      </p>
      <table className="admin-table clerks-table">
        <thead>
          <tr>
            <th>Mã</th>
            <th>Họ và tên</th>
            <th>Được làm việc ở quầy</th>
            <th>Đặt lại mã PIN</th>
            <th>Trạng thái</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {/* In the hub's order: active first, each group by Vietnamese name order (compareNamesVi in @xephang/core). */}
          {config.clerks.map((k) => (
            <ClerkRow key={JSON.stringify(k)} clerk={k} counterIds={counterIds} locks={locksOf(k.id)} onUnlocked={reload} />
          ))}
          <ClerkRow key={`new-${config.clerks.length}`} clerk={undefined} counterIds={counterIds} locks={[]} onUnlocked={reload} />
        </tbody>
      </table>
      <p className="hint">
        Nhập sai mã PIN 5 lần trên một máy chỉ khoá cán bộ đó trên máy ấy (5 phút); sai 10 lần từ mọi máy trong 15 phút khoá cán bộ ở mọi quầy (15 phút). Bấm
        &quot;Mở khoá&quot; nếu chính cán bộ bị khoá.
      </p>
      {access ? <IdleForm key={access.clerkIdleMinutes} minutes={access.clerkIdleMinutes} onSaved={reload} /> : null}
    </section>
  );
}

/** The idle time after which a clerk's session ends (it always ends when the day turns). */
function IdleForm({ minutes, onSaved }: { minutes: number; onSaved: () => void }) {
  const { act, online } = useAdmin();
  const [value, setValue] = useState(String(minutes));
  const n = Number(value);
  const valid = /^\d{1,4}$/.test(value) && n <= 1440;
  return (
    <form
      className="admin-form row"
      onSubmit={(e) => {
        e.preventDefault();
        void act('access:setIdle', { clerkIdleMinutes: n }, () => (n ? `Phiên cán bộ hết hạn sau ${n} phút không thao tác.` : 'Phiên cán bộ chỉ hết hạn khi sang ngày mới.')).then(onSaved);
      }}
    >
      <label className="field inline">
        Tự đăng xuất cán bộ sau (phút không thao tác, 0 = chỉ khi sang ngày mới)
        <input value={value} onChange={(e) => setValue(e.target.value.replace(/\D/g, '').slice(0, 4))} inputMode="numeric" className={valid ? 'num-input' : 'num-input invalid'} aria-label="Số phút không thao tác" />
      </label>
      <button type="submit" disabled={!online || !valid || n === minutes}>Lưu</button>
    </form>
  );
}

function ClerkRow({ clerk, counterIds, locks, onUnlocked }: { clerk: ClerkAdminView | undefined; counterIds: number[]; locks: LockoutView[]; onUnlocked: () => void }) {
  const { act, online } = useAdmin();
  const [name, setName] = useState(clerk?.name ?? '');
  const [counters, setCounters] = useState<number[]>(clerk?.counterIds ?? []);
  const [active, setActive] = useState(clerk?.active ?? true);
  const [pin, setPin] = useState('');
  // A new clerk needs a PIN; said once a name is typed, not on the empty row.
  const problem = pinProblem(pin, !clerk && name.trim() !== '');
  const pinOk = problem === undefined;
  const changed = clerk
    ? name.trim() !== clerk.name || JSON.stringify(counters) !== JSON.stringify(clerk.counterIds) || active !== clerk.active || pin !== ''
    : name.trim() !== '' && /^\d{4,8}$/.test(pin);
  const toggle = (id: number) => setCounters((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id].sort((a, b) => a - b)));
  const save = async () => {
    if (clerk) {
      await act(
        'clerk:update',
        {
          id: clerk.id,
          ...(name.trim() !== clerk.name ? { name: name.trim() } : {}),
          ...(pin ? { pin } : {}),
          ...(JSON.stringify(counters) !== JSON.stringify(clerk.counterIds) ? { counterIds: counters } : {}),
          ...(active !== clerk.active ? { active } : {}),
        },
        (k) => `Đã lưu cán bộ ${k.name}${pin ? ' (mã PIN mới)' : ''}.`,
      );
    } else if (await act('clerk:create', { name: name.trim(), pin, counterIds: counters }, (k) => `Đã thêm cán bộ ${k.name} (mã ${k.id}).`)) {
      setName('');
      setPin('');
      setCounters([]);
    }
  };
  return (
    <tr className={clerk && !clerk.active ? 'inactive' : undefined} data-clerk={clerk?.id ?? 'new'}>
      <td>{clerk ? clerk.id : <em>Mới</em>}</td>
      <td><input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} aria-label="Họ và tên cán bộ" placeholder={clerk ? undefined : 'Họ và tên'} /></td>
      <td className="counter-checks">
        {counterIds.map((id) => (
          <label key={id} className="check">
            <input type="checkbox" checked={counters.includes(id)} onChange={() => toggle(id)} aria-label={`Quầy ${id}`} />
            {id}
          </label>
        ))}
      </td>
      <td>
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          value={pin}
          onChange={(e) => setPin(e.target.value.slice(0, 12))}
          placeholder={clerk ? 'PIN mới' : 'PIN (bắt buộc)'}
          aria-label="Mã PIN mới"
          className={pinOk ? 'num-input' : 'num-input invalid'}
          aria-invalid={pinOk ? undefined : true}
          aria-describedby={pinOk ? undefined : `pin-problem-${clerk?.id ?? 'new'}`}
        />
        {problem && (
          <div className="field-error" id={`pin-problem-${clerk?.id ?? 'new'}`} data-testid="pin-problem">
            {problem}
          </div>
        )}
      </td>
      <td>
        {clerk ? (
          <label className="check">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> {active ? 'Đang làm việc' : 'Đã khoá'}
          </label>
        ) : null}
        {clerk && locks.length > 0 ? (
          <div className="lock-note" data-testid={`clerk-lock-${clerk.id}`}>
            {locks.map((l) => (
              <div key={l.key}>{lockText(l)}</div>
            ))}
            <button
              type="button"
              disabled={!online}
              onClick={() => void act('access:unlock', { clerkId: clerk.id }, () => `Đã mở khoá đăng nhập cho ${clerk.name}.`).then(onUnlocked)}
            >
              Mở khoá
            </button>
          </div>
        ) : null}
      </td>
      <td>
        <button type="button" className="primary" disabled={!changed || !pinOk || !online} onClick={() => void save()}>
          {clerk ? 'Lưu' : 'Thêm'}
        </button>
      </td>
    </tr>
  );
}
