import { useCallback, useEffect, useState } from 'react';
import { dateTimeVi, durationVi } from '@xephang/core';
import { ProvinceEnrolSchema, type Ack, type ProvinceLinkView } from '@xephang/protocol';
import { useAdmin } from './api';

/** How often the card asks while the system tab is shown. */
const EVERY_MS = 5_000;

const STATE_TEXT: Record<ProvinceLinkView['state'], string> = {
  off: 'Chưa liên kết',
  ok: 'Đã kết nối',
  down: 'Mất kết nối, đang thử lại',
  refused: 'Tỉnh từ chối, chờ quản trị xử lý',
};
const STATE_EN: Record<ProvinceLinkView['state'], string> = { off: 'Not linked', ok: 'Connected', down: 'Down, retrying', refused: 'Refused' };
const STATE_CLASS: Record<ProvinceLinkView['state'], string> = { off: '', ok: 'ok', down: 'warn', refused: 'fault' };

/**
 * The "Liên kết tỉnh / Province link" card of the system tab (issue 18): how the link is doing
 * (state, the province's address, the commune, last sent and acknowledged, how far behind, the
 * last error in Vietnamese), "send now" and "unlink", and the enrolment form when not linked.
 */
export function ProvinceLink({ hubNow }: { hubNow: number | undefined }) {
  const { send, act, online } = useAdmin();
  const [view, setView] = useState<ProvinceLinkView>();
  const [refusal, setRefusal] = useState<string>();
  const take = useCallback((r: Ack<ProvinceLinkView>) => {
    if (r.ok) {
      setView(r.data);
      setRefusal(undefined);
    } else {
      setRefusal(r.error.message);
    }
  }, []);
  useEffect(() => {
    if (!online) return undefined;
    let stopped = false;
    const ask = () => void send('province:status', {}).then((r) => !stopped && take(r));
    ask();
    const timer = setInterval(ask, EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [send, online, take]);

  const ago = (at: number | null) => (at === null || hubNow === undefined ? '' : `${durationVi(Math.max(0, hubNow - at))} trước`);
  return (
    <section className="admin-section" data-testid="province-link">
      <h2>
        Liên kết tỉnh <small>Province link</small>
      </h2>
      <p className="hint">
        Máy chủ gửi số liệu tổng hợp từng ngày (số lượt, thời gian chờ và phục vụ, đánh giá) và tên lĩnh vực, quầy, cán bộ lên máy chủ của tỉnh, chạy nền, không làm chậm ki-ốt hay quầy.
        Không gửi mật khẩu, mã PIN hay thông tin nào của công dân.
      </p>
      {refusal && (
        <p className="system-refused" role="status" data-testid="province-refused">
          {refusal}
        </p>
      )}
      {view && !view.linked && <EnrolForm onEnrolled={setView} />}
      {view?.linked && (
        <>
          <p className="province-state">
            <span className={`printer-state ${STATE_CLASS[view.state]}`} data-testid="province-state" data-state={view.state}>
              {STATE_TEXT[view.state]}
            </span>{' '}
            <small>{STATE_EN[view.state]}</small>
          </p>
          {view.lastError && view.state !== 'ok' && (
            <p className={view.state === 'refused' ? 'system-warning' : 'system-refused'} role={view.state === 'refused' ? 'alert' : 'status'} data-testid="province-error">
              {view.lastError}
            </p>
          )}
          <dl className="system-figures">
            <div>
              <dt>
                Máy chủ tỉnh <small>Province server</small>
              </dt>
              <dd className="province-url" data-testid="province-url">
                {view.url}
              </dd>
              {view.proxy && <dd className="hint">qua proxy {view.proxy}</dd>}
            </div>
            <div>
              <dt>
                Xã <small>Commune</small>
              </dt>
              <dd data-testid="province-commune">{view.communeName}</dd>
              <dd className="hint">mã {view.communeCode}</dd>
            </div>
            <div>
              <dt>
                Còn chờ gửi <small>Behind</small>
              </dt>
              <dd data-testid="province-pending">{view.pending === 0 ? 'Đã gửi hết' : `${view.pending.toLocaleString('vi-VN')} mục`}</dd>
              {view.oldestPendingAt !== null && hubNow !== undefined && <dd className="hint">mục cũ nhất chờ từ {durationVi(Math.max(0, hubNow - view.oldestPendingAt))} trước</dd>}
            </div>
            <div>
              <dt>
                Gửi lần cuối <small>Last sent</small>
              </dt>
              <dd className="province-time" data-testid="province-last-attempt">
                {view.lastAttemptAt === null ? 'chưa gửi' : dateTimeVi(view.lastAttemptAt)}
              </dd>
              {view.lastAttemptAt !== null && <dd className="hint">{ago(view.lastAttemptAt)}</dd>}
              <dd className="hint" data-testid="province-last-ack">
                tỉnh nhận lần cuối: {view.lastAckAt === null ? 'chưa có' : `${dateTimeVi(view.lastAckAt)} (${ago(view.lastAckAt)})`}
              </dd>
              {view.state === 'down' && view.nextAttemptAt !== null && <dd className="hint">thử lại lúc {dateTimeVi(view.nextAttemptAt, { seconds: true })}</dd>}
            </div>
          </dl>
          <div className="admin-row">
            <button type="button" className="primary" disabled={!online} onClick={() => void act('province:pushNow', {}, () => 'Đang gửi lên tỉnh…').then((v) => v && setView(v))}>
              Gửi ngay <small>Send now</small>
            </button>
            <button
              type="button"
              disabled={!online}
              onClick={() => {
                if (window.confirm(`Ngắt liên kết với máy chủ tỉnh ${view.url}? Máy này sẽ thôi gửi số liệu; muốn liên kết lại phải xin tỉnh mã đăng ký mới.`)) {
                  void act('province:unlink', {}, () => 'Đã ngắt liên kết với tỉnh.').then((v) => v && setView(v));
                }
              }}
            >
              Ngắt liên kết <small>Unlink</small>
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** The enrolment: the province's address, the commune's official code, the one-time key, a proxy if the network needs one. */
function EnrolForm({ onEnrolled }: { onEnrolled: (v: ProvinceLinkView) => void }) {
  const { act, online } = useAdmin();
  const [url, setUrl] = useState('');
  const [communeCode, setCommuneCode] = useState('');
  const [key, setKey] = useState('');
  const [proxy, setProxy] = useState('');
  const [busy, setBusy] = useState(false);
  const parsed = ProvinceEnrolSchema.safeParse({ url, communeCode, key, proxy: proxy.trim() || null });
  const problem = (field: string) => (parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === field)?.message);
  const shown = (field: string, value: string) => (value.trim() === '' ? undefined : problem(field));
  return (
    <form
      className="admin-form row system-settings"
      data-testid="province-enrol"
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed.success) return;
        setBusy(true);
        void act('province:enrol', parsed.data, (v) => `Đã liên kết với tỉnh: xã ${v.communeCode} (${v.communeName}). Đang gửi số liệu lên.`)
          .then((v) => v && onEnrolled(v))
          .finally(() => setBusy(false));
      }}
    >
      <label className="field">
        <span>
          Địa chỉ máy chủ tỉnh <small>Province address</small>
        </span>
        <input value={url} onChange={(e) => setUrl(e.target.value)} maxLength={500} placeholder="https://xephang.tinh.gov.vn/" aria-label="Địa chỉ máy chủ tỉnh" className={`system-dir${shown('url', url) ? ' invalid' : ''}`} />
        {shown('url', url) && <span className="field-error">{shown('url', url)}</span>}
      </label>
      <label className="field">
        <span>
          Mã xã <small>Commune code</small>
        </span>
        <input value={communeCode} onChange={(e) => setCommuneCode(e.target.value.replace(/\D/g, '').slice(0, 5))} inputMode="numeric" placeholder="5 chữ số" aria-label="Mã xã" className="short" />
      </label>
      <label className="field">
        <span>
          Mã đăng ký (tỉnh cấp) <small>Enrolment key</small>
        </span>
        <input value={key} onChange={(e) => setKey(e.target.value)} maxLength={200} autoComplete="off" aria-label="Mã đăng ký" />
      </label>
      <label className="field">
        <span>
          Proxy (nếu mạng cần) <small>HTTP proxy</small>
        </span>
        <input value={proxy} onChange={(e) => setProxy(e.target.value)} maxLength={500} placeholder="http://proxy:3128 (để trống nếu không dùng)" aria-label="Proxy" className={shown('proxy', proxy) ? 'invalid' : ''} />
        {shown('proxy', proxy) && <span className="field-error">{shown('proxy', proxy)}</span>}
      </label>
      <button type="submit" className="primary" disabled={!online || busy || !parsed.success}>
        {busy ? 'Đang liên kết…' : 'Liên kết với tỉnh'} <small>Enrol</small>
      </button>
    </form>
  );
}
