import { useCallback, useEffect, useState } from 'react';
import type { DeviceView, LockoutView } from '@xephang/protocol';
import { dateVi, timeVi } from '../shared/format';
import { useAdmin } from './api';
import { PrintersPanel } from './PrintersPanel';
import { useAccess } from './useAccess';

/** What a device-wide lock stops, in the admin's words. */
const LOCK_TEXT: Record<LockoutView['kind'], string> = {
  device: 'Tạm khoá nhập mã PIN (mọi cán bộ)',
  clerkAtDevice: 'Tạm khoá nhập mã PIN của cán bộ',
  clerk: 'Tạm khoá cán bộ',
  adminAddress: 'Tạm khoá nhập mật khẩu quản trị',
};

const ROLE_TEXT: Record<DeviceView['role'], string> = {
  display: 'Màn hình',
  kiosk: 'Ki-ốt lấy số',
  counter: 'Máy tính quầy',
  rating: 'Máy đánh giá',
};

/** Paired devices (revoke), pairing codes for new ones, and the ticket printers. */
export function DevicesTab() {
  return (
    <>
      <Devices />
      <PrintersPanel />
    </>
  );
}

function Devices() {
  const { send, act, state, online } = useAdmin();
  const [devices, setDevices] = useState<DeviceView[]>();
  const [role, setRole] = useState<DeviceView['role']>('display');
  const [counterId, setCounterId] = useState<number | ''>('');
  const [code, setCode] = useState<{ code: string; expiresAt: number; what: string }>();
  const [staleDays, setStaleDays] = useState('30');
  const load = useCallback(() => void send('device:list', {}).then((r) => r.ok && setDevices(r.data)), [send]);
  useEffect(load, [load]);
  const { access, reload } = useAccess();
  const locks = access?.lockouts.filter((l) => l.kind !== 'clerk') ?? [];
  const locksOf = (id: string) => locks.filter((l) => l.device === id);
  // Locks on the hub PC's own screens and on addresses: no paired device to show them beside.
  const otherLocks = locks.filter((l) => !devices?.some((d) => d.id === l.device));
  const unlock = (device: string, what: string) => void act('access:unlock', { device }, () => `Đã mở khoá ${what}.`).then(reload);
  const lockCell = (list: LockoutView[], device: string, what: string) =>
    list.length ? (
      <span className="lock-note">
        {list.map((l) => (
          <span key={l.key}>
            {LOCK_TEXT[l.kind]}
            {l.kind === 'clerkAtDevice' ? ` mã ${l.clerkId}` : ''} đến {timeVi(l.until)}.
          </span>
        ))}
        <button type="button" disabled={!online} onClick={() => unlock(device, what)}>Mở khoá</button>
      </span>
    ) : (
      '—'
    );
  const needsCounter = role === 'counter' || role === 'rating';
  const when = (ms: number | null) => (ms === null ? '—' : `${timeVi(ms)}, ${dateVi(ms)}`);

  return (
    <section className="admin-section">
      <h2>Thiết bị đã ghép nối <small>Paired devices</small></h2>
      <p className="hint">
        Màn hình và ki-ốt chạy trên chính máy chủ không cần ghép nối. Thiết bị khác trong mạng LAN nhập mã ghép nối (hiệu lực 10 phút) khi mở lần đầu.
      </p>
      <form
        className="admin-form row"
        onSubmit={(e) => {
          e.preventDefault();
          const what = `${ROLE_TEXT[role]}${counterId === '' ? '' : ` quầy ${counterId}`}`;
          void act('pairing:create', { role, ...(counterId === '' ? {} : { counterId }) }, (c) => `Mã ghép nối cho ${what}: ${c.code}.`).then(
            (c) => c && setCode({ ...c, what }),
          );
        }}
      >
        <label className="field inline">
          Loại thiết bị
          <select value={role} onChange={(e) => setRole(e.target.value as DeviceView['role'])} aria-label="Loại thiết bị">
            {Object.entries(ROLE_TEXT).map(([r, label]) => (
              <option key={r} value={r}>{label}</option>
            ))}
          </select>
        </label>
        <label className="field inline">
          Quầy
          <select value={counterId} onChange={(e) => setCounterId(e.target.value === '' ? '' : Number(e.target.value))} aria-label="Quầy">
            {!needsCounter && <option value="">(không gắn quầy)</option>}
            {needsCounter && counterId === '' && <option value="">Chọn quầy…</option>}
            {state.counters.map((c) => (
              <option key={c.id} value={c.id}>{c.name}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={!online || (needsCounter && counterId === '')}>
          Tạo mã ghép nối
        </button>
      </form>
      {code && (
        <div className="pairing-code" data-testid="pairing-code">
          Mã cho {code.what}: <strong>{code.code}</strong> <small>(hết hạn lúc {timeVi(code.expiresAt)})</small>
        </div>
      )}
      {devices && devices.length > 0 ? (
        <table className="admin-table">
          <thead>
            <tr>
              <th>Tên</th>
              <th>Loại</th>
              <th>Quầy</th>
              <th>Ghép nối lúc</th>
              <th>Kết nối gần nhất</th>
              <th>Khoá</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id} className={d.revoked ? 'inactive' : undefined}>
                <td>{d.name}</td>
                <td>{ROLE_TEXT[d.role]}</td>
                <td>{d.counterId ?? '—'}</td>
                <td>{when(d.pairedAt)}</td>
                <td>{when(d.lastSeenAt)}</td>
                <td data-testid={`device-lock-${d.id}`}>{lockCell(locksOf(d.id), d.id, `"${d.name}"`)}</td>
                <td>
                  {d.revoked ? (
                    <em>Đã thu hồi</em>
                  ) : (
                    <button
                      type="button"
                      disabled={!online}
                      onClick={() => {
                        if (window.confirm(`Thu hồi "${d.name}"? Thiết bị sẽ bị ngắt kết nối và phải ghép nối lại.`)) {
                          void act('device:revoke', { deviceId: d.id }, (v) => `Đã thu hồi "${v.name}".`).then(load);
                        }
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
      ) : (
        <p className="hint">{devices ? 'Chưa có thiết bị nào được ghép nối.' : 'Đang tải…'}</p>
      )}
      {devices && devices.some((d) => !d.revoked) ? (
        <form
          className="admin-form row"
          onSubmit={(e) => {
            e.preventDefault();
            const days = Number(staleDays);
            if (window.confirm(`Thu hồi mọi thiết bị không kết nối từ ${days} ngày trở lên? Thiết bị đang kết nối được giữ.`)) {
              void act('device:revokeStale', { days }, (list) => (list.length ? `Đã thu hồi ${list.length} thiết bị: ${list.map((d) => d.name).join(', ')}.` : 'Không có thiết bị nào quá hạn.')).then(load);
            }
          }}
        >
          <label className="field inline">
            Thu hồi thiết bị không kết nối từ
            <input value={staleDays} onChange={(e) => setStaleDays(e.target.value.replace(/\D/g, '').slice(0, 4))} inputMode="numeric" className="num-input" aria-label="Số ngày không kết nối" />
            ngày
          </label>
          <button type="submit" disabled={!online || !(Number(staleDays) >= 1)}>Thu hồi thiết bị cũ</button>
        </form>
      ) : null}
      {otherLocks.length > 0 ? (
        <>
          <h3>Đang bị khoá <small>Locked out</small></h3>
          <table className="admin-table">
            <tbody>
              {otherLocks.map((l) => {
                const key = l.device ?? l.address ?? l.key;
                const what = l.address ? `địa chỉ ${l.address}` : l.device?.startsWith('local:counter') ? `máy quầy ${l.device.slice('local:counter'.length)} trên máy chủ` : key;
                return (
                  <tr key={l.key} data-testid="other-lock">
                    <td>{what}</td>
                    <td>{lockCell([l], key, what)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
