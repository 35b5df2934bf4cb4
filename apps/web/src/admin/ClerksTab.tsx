import { useState } from 'react';
import type { ClerkAdminView } from '@xephang/protocol';
import { useAdmin } from './api';

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
  const counterIds = state.counters.map((c) => c.id);
  if (!config) return <p className="loading">Đang tải…</p>;
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
            <ClerkRow key={JSON.stringify(k)} clerk={k} counterIds={counterIds} />
          ))}
          <ClerkRow key={`new-${config.clerks.length}`} clerk={undefined} counterIds={counterIds} />
        </tbody>
      </table>
    </section>
  );
}

function ClerkRow({ clerk, counterIds }: { clerk: ClerkAdminView | undefined; counterIds: number[] }) {
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
      </td>
      <td>
        <button type="button" className="primary" disabled={!changed || !pinOk || !online} onClick={() => void save()}>
          {clerk ? 'Lưu' : 'Thêm'}
        </button>
      </td>
    </tr>
  );
}
