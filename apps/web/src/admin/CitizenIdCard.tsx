import { useState } from 'react';
import { DEFAULT_CITIZEN_ID_RULE, type CitizenIdRule, type ServiceView } from '@xephang/protocol';
import { useAdmin } from './api';

const MODE_TEXT: Record<CitizenIdRule['mode'], string> = {
  off: 'Tắt (không hỏi)',
  limit: 'Hỏi, được bỏ qua',
  required: 'Bắt buộc quét',
};

/**
 * The citizen ID card at the kiosk (issue 20), per field: off by default. When it is on, the kiosk
 * says why it asks and each card holds at most N tickets of the field not yet finished today.
 */
export function CitizenIdCard() {
  const { state } = useAdmin();
  const services = [...state.services].sort((a, b) => a.sortOrder - b.sortOrder);
  const rules = state.citizenIdRules ?? {};
  return (
    <section className="admin-section" data-testid="citizen-id-card">
      <h2>
        Quét thẻ căn cước ở ki-ốt <small>Citizen ID card at the kiosk</small>
      </h2>
      <p className="hint">
        Chống lấy số hộ, bán số: khi bật cho một lĩnh vực, ki-ốt đề nghị công dân quét mã QR trên thẻ căn cước và mỗi thẻ chỉ giữ
        tối đa N số chưa xong của lĩnh vực đó trong ngày. Máy chủ không lưu số thẻ: chỉ giữ một mã không đọc ngược được, xóa khi hết ngày
        (khởi động lại máy chủ giữa ngày thì giới hạn tính lại từ đầu). “Bắt buộc quét”: không có thẻ thì cán bộ ở quầy cấp số. Trước khi bật,
        trung tâm phải niêm yết thông báo xử lý dữ liệu cá nhân (xem docs/deploy.md).
      </p>
      <table className="admin-table citizen-id-table">
        <thead>
          <tr>
            <th>Lĩnh vực</th>
            <th>Quét thẻ</th>
            <th>Tối đa mỗi người</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {services.map((s) => {
            const rule = rules[s.id] ?? DEFAULT_CITIZEN_ID_RULE;
            return <RuleRow key={`${s.id}:${rule.mode}:${rule.maxActive}`} service={s} rule={rule} />;
          })}
        </tbody>
      </table>
    </section>
  );
}

function RuleRow({ service, rule }: { service: ServiceView; rule: CitizenIdRule }) {
  const { act, online } = useAdmin();
  const [draft, setDraft] = useState<CitizenIdRule>(rule);
  const changed = draft.mode !== rule.mode || draft.maxActive !== rule.maxActive;
  const save = () =>
    act('citizen:setRule', { serviceId: service.id, rule: draft }, () =>
      draft.mode === 'off' ? `Đã tắt quét thẻ cho "${service.nameVi}".` : `Đã lưu: "${service.nameVi}" ${MODE_TEXT[draft.mode].toLowerCase()}, tối đa ${draft.maxActive} số mỗi người.`,
    );
  return (
    <tr data-citizen-rule={service.id}>
      <td>{service.nameVi}</td>
      <td>
        <select aria-label={`Quét thẻ: ${service.nameVi}`} value={draft.mode} onChange={(e) => setDraft({ ...draft, mode: e.target.value as CitizenIdRule['mode'] })}>
          {(Object.keys(MODE_TEXT) as CitizenIdRule['mode'][]).map((m) => (
            <option key={m} value={m}>
              {MODE_TEXT[m]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          type="number"
          min={1}
          max={20}
          aria-label={`Tối đa mỗi người: ${service.nameVi}`}
          value={draft.maxActive}
          disabled={draft.mode === 'off'}
          onChange={(e) => setDraft({ ...draft, maxActive: Math.trunc(Number(e.target.value)) })}
        />
      </td>
      <td>
        <button type="button" disabled={!online || !changed} onClick={() => void save()}>
          Lưu
        </button>
      </td>
    </tr>
  );
}
