import { useEffect, useState } from 'react';
import { screenPath, type CounterScreenId } from '@xephang/protocol';
import { COUNTER_STATUS_TEXT } from '../shared/text';

/** What the front page reads from the hub's public `/api/state` (no pairing needed to list screens). */
interface PublicState {
  centerName: string;
  services: { id: string; nameVi: string }[];
  counters: { id: number; name: string; status: 'open' | 'closed' | 'paused'; serviceIds: string[] }[];
}


/** The hub's front page: every screen of this center, from its real counters (a technician's starting point). */
export function Home({ missing }: { missing?: string }) {
  const [state, setState] = useState<PublicState>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    fetch('/api/state')
      .then((r) => (r.ok ? (r.json() as Promise<PublicState>) : Promise.reject(new Error(String(r.status)))))
      .then((s) => live && setState(s))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);
  const fieldName = (id: string) => state?.services.find((s) => s.id === id)?.nameVi ?? id;

  return (
    <main className="home">
      <header className="home-header">
        <div className="home-brand">xephang — xếp hàng</div>
        <h1>{state?.centerName ?? 'Các màn hình của trung tâm'}</h1>
        <p className="home-sub">Chọn màn hình cho thiết bị này · Choose this device’s screen</p>
      </header>
      {missing && (
        <p className="home-error" role="alert">
          Không có màn hình {missing}. Chọn một màn hình dưới đây.
        </p>
      )}
      <section className="home-cards" aria-label="Màn hình chung">
        <a className="home-card" href={screenPath('kiosk')}>
          <strong>Ki-ốt lấy số</strong>
          <span>Kiosk: công dân chọn lĩnh vực, lấy số</span>
        </a>
        <a className="home-card" href={screenPath('display')}>
          <strong>Màn hình phòng chờ</strong>
          <span>Waiting-room TV: số đang gọi, loa gọi số</span>
        </a>
        <a className="home-card admin" href={screenPath('admin')}>
          <strong>Quản trị và báo cáo</strong>
          <span>Admin: lĩnh vực, quầy, cán bộ, giờ làm việc, báo cáo</span>
        </a>
      </section>
      <h2>Các quầy · Counters</h2>
      {failed && <p className="home-error">Không đọc được danh sách quầy từ máy chủ. Tải lại trang.</p>}
      {!state && !failed && <p className="hint">Đang tải danh sách quầy…</p>}
      {state && (
        <table className="home-counters" data-testid="home-counters">
          <thead>
            <tr>
              <th>Quầy</th>
              <th>Lĩnh vực</th>
              <th>Máy tính cán bộ</th>
              <th>Màn hình trên quầy</th>
              <th>Máy đánh giá</th>
            </tr>
          </thead>
          <tbody>
            {state.counters.map((c) => (
              <tr key={c.id} data-counter={c.id}>
                <th scope="row">
                  {c.name} <small className={`home-status ${c.status}`}>{COUNTER_STATUS_TEXT[c.status]}</small>
                </th>
                <td>{c.serviceIds.map(fieldName).join(', ') || '—'}</td>
                <td>
                  <ScreenLink screen="counter" counterId={c.id} />
                </td>
                <td>
                  <ScreenLink screen="counter-display" counterId={c.id} />
                </td>
                <td>
                  <ScreenLink screen="rate" counterId={c.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="home-foot">
        <a href="/api/state">Trạng thái (JSON)</a> · Mỗi thiết bị mở đúng một địa chỉ; máy ngoài máy chủ cần ghép nối trên trang quản trị (Thiết bị).
      </p>
    </main>
  );
}

/** A counter's screen, by its address (the technician types it on the device). */
function ScreenLink({ screen, counterId }: { screen: CounterScreenId; counterId: number }) {
  const path = screenPath(screen, counterId);
  return <a href={path}>{path}</a>;
}
