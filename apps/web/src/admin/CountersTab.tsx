import { useAdmin } from './api';
import { PriorityRuleForm } from './PriorityRuleForm';

/** Which fields each counter calls, most important first. */
export function CountersTab() {
  const { state, act, online } = useAdmin();
  const nameOf = (id: string) => state.services.find((s) => s.id === id)?.nameVi ?? id;
  const save = (counterId: number, serviceIds: string[]) =>
    void act('config:counterServices', { counterId, serviceIds }, (c) => `Đã lưu: ${c.name} phục vụ ${c.serviceIds.map(nameOf).join(', ') || 'không lĩnh vực nào'}.`);
  return (
    <>
      <PriorityRuleForm />
      <section className="admin-section">
        <h2>Quầy <small>Counters</small></h2>
        <p className="hint">
          "Gọi số tiếp theo" ở một quầy gọi lần lượt các lĩnh vực theo thứ tự dưới đây: lĩnh vực đầu tiên còn người chờ được gọi trước.
          Thay đổi có hiệu lực ngay ở mọi màn hình.
        </p>
        <div className="counter-cards">
          {state.counters.map((c) => {
            const others = state.services.filter((s) => !c.serviceIds.includes(s.id));
            return (
              <div className="counter-card" key={c.id} data-counter-admin={c.id}>
                <h3>
                  {c.name}
                  <span className={`status-pill ${c.status}`}>{c.status === 'open' ? 'Đang mở' : c.status === 'paused' ? 'Tạm nghỉ' : 'Đóng'}</span>
                </h3>
                {c.clerkName && <div className="hint">Cán bộ: {c.clerkName}</div>}
                <ol className="counter-services" aria-label={`Lĩnh vực của ${c.name}, theo thứ tự gọi`}>
                  {c.serviceIds.map((id, i) => (
                    <li key={id} data-service={id}>
                      <span className="pos">{i + 1}.</span>
                      <span className="svc-name">{nameOf(id)}</span>
                      <span className="row-buttons">
                        <button type="button" aria-label="Lên" disabled={i === 0 || !online} onClick={() => save(c.id, swap(c.serviceIds, i, i - 1))}>▲</button>
                        <button type="button" aria-label="Xuống" disabled={i === c.serviceIds.length - 1 || !online} onClick={() => save(c.id, swap(c.serviceIds, i, i + 1))}>▼</button>
                        <button type="button" aria-label={`Bỏ ${nameOf(id)}`} disabled={!online} onClick={() => save(c.id, c.serviceIds.filter((x) => x !== id))}>✕</button>
                      </span>
                    </li>
                  ))}
                  {c.serviceIds.length === 0 && <li className="hint">Chưa có lĩnh vực nào: quầy chỉ nhận số được chuyển đến.</li>}
                </ol>
                {others.length > 0 && (
                  <select
                    aria-label={`Thêm lĩnh vực cho ${c.name}`}
                    value=""
                    disabled={!online}
                    onChange={(e) => e.target.value && save(c.id, [...c.serviceIds, e.target.value])}
                  >
                    <option value="">+ Thêm lĩnh vực…</option>
                    {others.map((s) => (
                      <option key={s.id} value={s.id}>{s.nameVi}</option>
                    ))}
                  </select>
                )}
              </div>
            );
          })}
        </div>
      </section>
    </>
  );
}

function swap<T>(list: readonly T[], i: number, j: number): T[] {
  const copy = [...list];
  [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  return copy;
}
