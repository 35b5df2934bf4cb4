import { useCallback, useEffect, useState } from 'react';
import type { DeviceView } from '@xephang/protocol';
import { dateVi, timeVi } from '../format';
import { useAdmin } from './api';
import { PrintersPanel } from './PrintersPanel';

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
  const load = useCallback(() => void send('device:list', {}).then((r) => r.ok && setDevices(r.data)), [send]);
  useEffect(load, [load]);
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
    </section>
  );
}
