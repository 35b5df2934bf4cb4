import { useCallback, useEffect, useState } from 'react';
import {
  printerAddressProblem,
  UNPAIRED_KIOSK_ID,
  UNPAIRED_KIOSK_LABEL,
  type CommandReplies,
  type DeviceView,
  type KioskPrinterConnection,
  type PrinterConfigView,
  type PrinterState,
  type PrinterStatusView,
  type PrinterTestReply,
} from '@xephang/protocol';
import { timeVi } from '../shared/format';
import { requestId } from '../shared/useHub';
import { useAdmin } from './api';

/** How often the printers' state is asked while this tab is open. */
const STATUS_EVERY_MS = 5000;

/** What each state reads as for the admin (the kiosk says more, to a citizen). */
const STATE_TEXT: Record<PrinterState, { vi: string; tone: 'ok' | 'warn' | 'fault' }> = {
  ok: { vi: 'Sẵn sàng', tone: 'ok' },
  paper_near_end: { vi: 'Sắp hết giấy', tone: 'warn' },
  paper_out: { vi: 'Hết giấy', tone: 'fault' },
  cover_open: { vi: 'Nắp đang mở', tone: 'fault' },
  offline: { vi: 'Mất kết nối', tone: 'fault' },
  error: { vi: 'Máy in báo lỗi', tone: 'fault' },
  no_status: { vi: 'Không trả lời trạng thái (vẫn in)', tone: 'warn' },
};

const TYPE_TEXT: Record<PrinterConfigView['type'], string> = {
  preview: 'Xem trước (lưu ảnh PNG trên máy chủ)',
  tcp: 'Máy in mạng (ESC/POS qua TCP)',
  kiosk: 'Máy in gắn vào ki-ốt',
};

/** How a kiosk's own printer is attached, as its shell reported it. */
const CONNECTION_TEXT: Record<KioskPrinterConnection, string> = {
  system: 'máy in của Windows/CUPS, theo tên',
  usb: 'USB trực tiếp (libusb)',
  serial: 'cổng COM / nối tiếp',
  tcp: 'mạng (TCP 9100)',
};

interface Row {
  kioskId: string;
  /** What the admin reads in the first column. */
  label: string;
  /** The kiosk's own printer, or undefined when it uses the default one. */
  own: PrinterConfigView | undefined;
}

/**
 * The kiosks' ticket printers: the default one, each kiosk's own, the paired kiosks that use the
 * default; each editable, with a test print and its state asked every few seconds. Then the
 * text at the bottom of every ticket and its QR code.
 */
export function PrintersPanel() {
  const { send } = useAdmin();
  const [list, setList] = useState<CommandReplies['printer:list']>();
  const [kiosks, setKiosks] = useState<DeviceView[]>([]);
  const [status, setStatus] = useState<Record<string, PrinterStatusView>>({});
  const load = useCallback(async () => {
    const [printers, devices] = await Promise.all([send('printer:list', {}), send('device:list', {})]);
    if (printers.ok) setList(printers.data);
    if (devices.ok) setKiosks(devices.data.filter((d) => d.role === 'kiosk' && !d.revoked));
  }, [send]);
  useEffect(() => void load(), [load]);

  const own = new Map((list?.printers ?? []).map((p) => [p.kioskId, p]));
  const name = (id: string) => kiosks.find((k) => k.id === id)?.name;
  const rows: Row[] = [
    { kioskId: '*', label: 'Mặc định: mọi ki-ốt chưa có máy in riêng, và ki-ốt mở trên máy chủ', own: own.get('*') },
    ...(list?.printers ?? [])
      .filter((p) => p.kioskId !== '*')
      .map((p) => ({ kioskId: p.kioskId, label: name(p.kioskId) ?? (p.kioskId === UNPAIRED_KIOSK_ID ? UNPAIRED_KIOSK_LABEL : `Ki-ốt mã ${p.kioskId}`), own: p })),
    ...kiosks.filter((k) => !own.has(k.id)).map((k) => ({ kioskId: k.id, label: k.name, own: undefined })),
  ];
  const asked = rows.filter((r) => r.own || r.kioskId === '*').map((r) => r.kioskId).join(',');

  // Live: every printer in use is asked now and every few seconds while the tab is open.
  useEffect(() => {
    if (!list) return;
    let stopped = false;
    const ask = async () => {
      for (const kioskId of asked.split(',')) {
        const r = await send('printer:status', { kioskId });
        if (stopped) return;
        if (r.ok) setStatus((s) => ({ ...s, [kioskId]: r.data }));
      }
    };
    void ask();
    const timer = setInterval(() => void ask(), STATUS_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [asked, list, send]);

  return (
    <>
      <section className="admin-section" data-testid="printers">
        <h2>
          Máy in phiếu <small>Ticket printers</small>
        </h2>
        <p className="hint">
          Mỗi ki-ốt in ra máy in riêng của nó nếu được đặt ở đây, nếu không thì ra máy in mặc định. Máy in mạng cần địa chỉ IP cố định (cổng 9100). Ki-ốt chạy ứng
          dụng xephang có máy in gắn ngay tại ki-ốt (máy in Windows/CUPS theo tên, USB, cổng COM hoặc mạng) thì máy in đó được cài đặt tại ki-ốt và ki-ốt tự báo nó
          lên đây: máy chủ soạn và vẽ phiếu, ki-ốt chỉ gửi phiếu ra máy in của nó.
        </p>
        {!list ? (
          <p className="hint">Đang tải…</p>
        ) : (
          <table className="admin-table printers-table">
            <thead>
              <tr>
                <th>Ki-ốt</th>
                <th>Loại máy in</th>
                <th>Địa chỉ</th>
                <th>Khổ giấy</th>
                <th>Tình trạng</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <PrinterRow key={`${r.kioskId}|${JSON.stringify(r.own)}`} row={r} fallback={own.get('*')} status={status[r.own || r.kioskId === '*' ? r.kioskId : '*']} onSaved={load} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {list && <TicketText key={`${list.footer}|${list.qr}`} footer={list.footer} qr={list.qr} onSaved={load} />}
    </>
  );
}

function StateBadge({ status }: { status: PrinterStatusView | undefined }) {
  if (!status) return <span className="printer-state">Đang hỏi…</span>;
  const s = STATE_TEXT[status.state];
  return (
    <span className={`printer-state ${s.tone}`} title={`${status.message} (lúc ${timeVi(status.checkedAt, true)})`} data-state={status.state}>
      {s.vi}
    </span>
  );
}

function PrinterRow(props: { row: Row; fallback: PrinterConfigView | undefined; status: PrinterStatusView | undefined; onSaved: () => Promise<void> }) {
  return props.row.own?.type === 'kiosk' ? <KioskPrinterRow {...props} own={props.row.own} /> : <HubPrinterRow {...props} />;
}

/** The admin's test print of a kiosk's printer, and what came of it. */
function useTestPrint(kioskId: string) {
  const { send } = useAdmin();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<PrinterTestReply | { error: string }>();
  const test = async () => {
    setTesting(true);
    setResult(undefined);
    const r = await send('printer:test', { requestId: requestId(), kioskId });
    setTesting(false);
    setResult(r.ok ? r.data : { error: r.error.message });
  };
  return { testing, result, test };
}

function TestResult({ result }: { result: PrinterTestReply | { error: string } | undefined }) {
  if (!result) return null;
  return (
    <div className={`printer-result ${'error' in result || !result.printed ? 'field-error' : ''}`} data-testid="printer-test-result">
      {'error' in result ? result.error : result.message}
    </div>
  );
}

/**
 * A printer attached to the kiosk itself: set up in the kiosk's own settings (it is hardware of
 * that PC), so here it is shown, test-printed (the hub pushes the job to the kiosk) or dropped.
 */
function KioskPrinterRow({ row, own, status, onSaved }: { row: Row; own: PrinterConfigView; status: PrinterStatusView | undefined; onSaved: () => Promise<void> }) {
  const { act, online } = useAdmin();
  const { testing, result, test } = useTestPrint(row.kioskId);
  const unset = async () => {
    const done = await act('printer:unset', { kioskId: row.kioskId }, () => `${row.label} dùng lại máy in mặc định. Nếu ứng dụng trên ki-ốt vẫn cài máy in riêng, lần báo sau nó sẽ hiện lại ở đây.`);
    if (done) await onSaved();
  };
  return (
    <tr data-printer={row.kioskId} data-type="kiosk">
      <td>{row.label}</td>
      <td>
        {TYPE_TEXT.kiosk}
        {own.connection && <div data-testid="printer-connection">{CONNECTION_TEXT[own.connection]}</div>}
        <div className="hint">Cài đặt tại ki-ốt (ứng dụng xephang trên ki-ốt → Cài đặt → Máy in), không sửa ở đây.</div>
      </td>
      <td data-testid="printer-name">{own.address ?? '—'}</td>
      <td>{own.paperWidth} mm</td>
      <td>
        <StateBadge status={status} />
        {status && (
          <div className="printer-reported" data-testid="printer-reported">
            {status.state !== 'ok' && status.message && <div>{status.message}</div>}
            <span className="hint">ki-ốt báo lúc {timeVi(status.checkedAt, true)}</span>
          </div>
        )}
        <TestResult result={result} />
      </td>
      <td className="nowrap">
        <button type="button" disabled={!online || testing} onClick={() => void test()}>
          {testing ? 'Đang in thử…' : 'In thử'}
        </button>{' '}
        <button type="button" disabled={!online} onClick={() => void unset()}>
          Dùng máy in mặc định
        </button>
      </td>
    </tr>
  );
}

/** A printer the hub prints on (the preview, a network printer): edited here. */
function HubPrinterRow({ row, fallback, status, onSaved }: { row: Row; fallback: PrinterConfigView | undefined; status: PrinterStatusView | undefined; onSaved: () => Promise<void> }) {
  const { act, online } = useAdmin();
  const shown = row.own ?? fallback ?? { kioskId: '*', type: 'preview' as const, address: null, paperWidth: 80 as const };
  const [editing, setEditing] = useState(false);
  const [type, setType] = useState<'preview' | 'tcp'>(shown.type === 'kiosk' ? 'preview' : shown.type);
  const [address, setAddress] = useState(shown.type === 'tcp' ? (shown.address ?? '') : '');
  const [paper, setPaper] = useState<58 | 80>(shown.paperWidth);
  const { testing, result, test } = useTestPrint(row.kioskId);
  const addressProblem = type === 'tcp' ? (address.trim() ? printerAddressProblem(address) : 'Cần địa chỉ của máy in mạng, ví dụ 192.168.1.50:9100.') : undefined;
  const who = row.kioskId === '*' ? 'mặc định' : row.label;

  const save = async () => {
    const saved = await act(
      'printer:set',
      { kioskId: row.kioskId, type, paperWidth: paper, ...(type === 'tcp' ? { address: address.trim() } : {}) },
      (p) => `Đã lưu máy in ${who}: ${p.type === 'tcp' ? `máy in mạng ${p.address}` : 'xem trước'}, khổ ${p.paperWidth} mm.`,
    );
    if (saved) {
      setEditing(false);
      await onSaved();
    }
  };
  const unset = async () => {
    if (await act('printer:unset', { kioskId: row.kioskId }, () => `${row.label} dùng lại máy in mặc định.`)) await onSaved();
  };

  return (
    <tr data-printer={row.kioskId} className={editing ? 'printer-edit' : undefined}>
      <td>{row.label}</td>
      {editing ? (
        <>
          <td>
            <select value={type} onChange={(e) => setType(e.target.value as 'preview' | 'tcp')} aria-label="Loại máy in">
              {(['preview', 'tcp'] as const).map((t) => (
                <option key={t} value={t}>
                  {TYPE_TEXT[t]}
                </option>
              ))}
            </select>
          </td>
          <td>
            {type === 'tcp' ? (
              <>
                <input
                  type="text"
                  value={address}
                  onChange={(e) => setAddress(e.target.value)}
                  placeholder="192.168.1.50:9100"
                  aria-label="Địa chỉ máy in mạng"
                  maxLength={200}
                  className={addressProblem && address ? 'invalid' : undefined}
                  aria-invalid={addressProblem ? true : undefined}
                />
                {addressProblem && <div className="field-error" data-testid="address-problem">{addressProblem}</div>}
              </>
            ) : (
              <span className="hint">Thư mục tickets của máy chủ</span>
            )}
          </td>
          <td>
            <select value={paper} onChange={(e) => setPaper(Number(e.target.value) as 58 | 80)} aria-label="Khổ giấy">
              <option value={80}>80 mm</option>
              <option value={58}>58 mm</option>
            </select>
          </td>
          <td>
            <StateBadge status={status} />
          </td>
          <td className="nowrap">
            <button type="button" className="primary" disabled={!online || addressProblem !== undefined} onClick={() => void save()}>
              Lưu
            </button>{' '}
            <button type="button" onClick={() => setEditing(false)}>
              Huỷ
            </button>
            {row.own && row.kioskId !== '*' && (
              <>
                {' '}
                <button type="button" disabled={!online} onClick={() => void unset()}>
                  Dùng máy in mặc định
                </button>
              </>
            )}
          </td>
        </>
      ) : (
        <>
          <td>
            {TYPE_TEXT[shown.type]}
            {!row.own && row.kioskId !== '*' && <div className="hint">dùng máy in mặc định</div>}
          </td>
          <td>{shown.type === 'tcp' ? shown.address : '—'}</td>
          <td>{shown.paperWidth} mm</td>
          <td>
            <StateBadge status={status} />
            <TestResult result={result} />
          </td>
          <td className="nowrap">
            <button type="button" disabled={!online} onClick={() => setEditing(true)}>
              {row.own || row.kioskId === '*' ? 'Sửa' : 'Đặt máy in riêng'}
            </button>{' '}
            <button type="button" disabled={!online || testing} onClick={() => void test()}>
              {testing ? 'Đang in thử…' : 'In thử'}
            </button>
          </td>
        </>
      )}
    </tr>
  );
}

function TicketText({ footer: savedFooter, qr: savedQr, onSaved }: { footer: string; qr: string; onSaved: () => Promise<void> }) {
  const { act, online } = useAdmin();
  const [footer, setFooter] = useState(savedFooter);
  const [qr, setQr] = useState(savedQr);
  const changed = footer !== savedFooter || qr !== savedQr;
  return (
    <section className="admin-section ticket-text" data-testid="ticket-text">
      <h2>
        Chữ trên phiếu <small>Ticket text</small>
      </h2>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act('printer:setTicketText', { footer: footer.trim(), qr: qr.trim() }, () => 'Đã lưu chữ cuối phiếu và mã QR; phiếu tiếp theo in theo nội dung mới.').then(
            (saved) => saved && onSaved(),
          );
        }}
      >
        <label className="field">
          Dòng cuối phiếu (để trống nếu không in)
          <textarea value={footer} onChange={(e) => setFooter(e.target.value)} maxLength={300} rows={2} aria-label="Dòng cuối phiếu" />
          <span className="hint">{footer.length}/300 ký tự</span>
        </label>
        <label className="field">
          Nội dung mã QR (để trống nếu không in mã QR)
          <input type="text" value={qr} onChange={(e) => setQr(e.target.value)} maxLength={300} aria-label="Nội dung mã QR" placeholder="https://dichvucong.gov.vn" />
          <span className="hint">
            {'{number}'} thay bằng số thứ tự, {'{day}'} bằng ngày (2026-12-05), {'{ticketId}'} bằng mã phiếu.
          </span>
        </label>
        <button type="submit" className="primary" disabled={!online || !changed}>
          Lưu chữ trên phiếu
        </button>
      </form>
    </section>
  );
}
