import { useState } from 'react';
import { isOfficialCode, OFFICIAL_CODE_MAX, type ServiceSave, type ServiceView } from '@xephang/protocol';
import { useAdmin } from './api';

const KIND_TEXT = { commune: 'Lĩnh vực của xã', partner: 'Cơ quan phối hợp' } as const;

/** Fields: names in both languages, number blocks, on or off, and their order on the kiosk. */
export function ServicesTab() {
  const { state, act } = useAdmin();
  const services = [...state.services].sort((a, b) => a.sortOrder - b.sortOrder);
  const move = (index: number, by: -1 | 1) => {
    const ids = services.map((s) => s.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    void act('config:orderServices', { serviceIds: ids }, () => 'Đã đổi thứ tự lĩnh vực trên ki-ốt.');
  };
  const nextBlock = Math.max(0, ...services.map((s) => s.blockStart)) + 1000;
  return (
    <section className="admin-section">
      <h2>Lĩnh vực <small>Services</small></h2>
      <p className="hint">
        Thứ tự dưới đây là thứ tự trên ki-ốt. Mỗi lĩnh vực có một dãy số riêng (ví dụ 2001…2999); số thứ tự bắt đầu lại mỗi ngày.
        Lĩnh vực tạm ngừng không hiện trên ki-ốt, các số đã phát vẫn được gọi.
      </p>
      <p className="hint" data-testid="official-code-hint" title="Optional: the field's code in the national procedure catalogue, shown in the reports.">
        <strong>Mã CSDL quốc gia</strong>: mã lĩnh vực trong Cơ sở dữ liệu quốc gia về thủ tục hành chính; không bắt buộc, báo cáo in kèm mã này.
      </p>
      <table className="admin-table services-table">
        <thead>
          <tr>
            <th>Thứ tự</th>
            <th>Mã</th>
            <th>Tên tiếng Việt</th>
            <th>Tên tiếng Anh</th>
            <th>Mã CSDL quốc gia</th>
            <th>Loại</th>
            <th>Dãy số</th>
            <th>Cấp số</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {services.map((s, i) => (
            <ServiceRow key={JSON.stringify([s.id, s.nameVi, s.nameEn, s.kind, s.blockStart, s.active, s.officialCode])} service={s} first={i === 0} last={i === services.length - 1} onMove={(by) => move(i, by)} />
          ))}
          <ServiceRow key={`new-${nextBlock}`} service={undefined} nextBlock={nextBlock} />
        </tbody>
      </table>
    </section>
  );
}

function ServiceRow(props: { service: ServiceView | undefined; first?: boolean; last?: boolean; nextBlock?: number; onMove?: (by: -1 | 1) => void }) {
  const { act, online } = useAdmin();
  const s = props.service;
  // The code is edited as text: an empty box sends '' and clears it (the hub stores null).
  type Draft = Omit<ServiceSave, 'officialCode'> & { officialCode: string };
  const initial: Draft = s
    ? { id: s.id, nameVi: s.nameVi, nameEn: s.nameEn, kind: s.kind, blockStart: s.blockStart, active: s.active, officialCode: s.officialCode ?? '' }
    : { id: '', nameVi: '', nameEn: '', kind: 'commune', blockStart: props.nextBlock ?? 8001, active: true, officialCode: '' };
  const [draft, setDraft] = useState<Draft>(initial);
  const codeOk = draft.officialCode.trim() === '' || isOfficialCode(draft.officialCode);
  const changed = JSON.stringify(draft) !== JSON.stringify(initial);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const save = () =>
    act('config:saveService', draft, (v) => (s ? `Đã lưu lĩnh vực "${v.nameVi}".` : `Đã thêm lĩnh vực "${v.nameVi}".`)).then((v) => {
      if (v && !s) setDraft(initial);
    });
  return (
    <tr data-service-row={s?.id ?? 'new'} className={s && !s.active ? 'inactive' : undefined}>
      <td className="order">
        {s ? (
          <>
            <button type="button" aria-label="Lên" disabled={props.first || !online} onClick={() => props.onMove?.(-1)}>▲</button>
            <button type="button" aria-label="Xuống" disabled={props.last || !online} onClick={() => props.onMove?.(1)}>▼</button>
          </>
        ) : (
          <em>Thêm mới</em>
        )}
      </td>
      <td>
        {s ? <code>{s.id}</code> : <input value={draft.id} onChange={(e) => set({ id: e.target.value.toLowerCase() })} placeholder="vd: tax" aria-label="Mã lĩnh vực mới" size={8} />}
      </td>
      <td><input value={draft.nameVi} onChange={(e) => set({ nameVi: e.target.value })} aria-label="Tên tiếng Việt" /></td>
      <td><input value={draft.nameEn} onChange={(e) => set({ nameEn: e.target.value })} aria-label="Tên tiếng Anh" /></td>
      <td>
        <input
          value={draft.officialCode}
          onChange={(e) => set({ officialCode: e.target.value })}
          aria-label="Mã lĩnh vực trong Cơ sở dữ liệu quốc gia về thủ tục hành chính (không bắt buộc)"
          aria-invalid={!codeOk}
          title={codeOk ? undefined : 'Chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch chéo, gạch dưới; tối đa 40 ký tự'}
          placeholder="không bắt buộc"
          maxLength={OFFICIAL_CODE_MAX}
          size={14}
          data-field="officialCode"
        />
      </td>
      <td>
        <select value={draft.kind} onChange={(e) => set({ kind: e.target.value as ServiceSave['kind'] })} aria-label="Loại">
          {Object.entries(KIND_TEXT).map(([k, label]) => (
            <option key={k} value={k}>{label}</option>
          ))}
        </select>
      </td>
      <td><input type="number" min={1001} step={1000} value={draft.blockStart} onChange={(e) => set({ blockStart: Number(e.target.value) })} aria-label="Dãy số" className="num-input" /></td>
      <td>
        <label className="check">
          <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} /> {draft.active ? 'Đang cấp' : 'Tạm ngừng'}
        </label>
      </td>
      <td>
        <button type="button" className="primary" disabled={!changed || !online} onClick={() => void save()}>
          {s ? 'Lưu' : 'Thêm'}
        </button>
      </td>
    </tr>
  );
}
