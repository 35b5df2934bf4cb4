import { useCallback, useEffect, useState } from 'react';
import type { HubClient } from '@xephang/client';
import { bytesVi, dateTimeVi, durationVi } from '@xephang/core';
import { BackupSettingsSchema, type Ack, type BackupCheckState, type BackupCopyState, type BackupsView, type BackupView, type SystemStatus } from '@xephang/protocol';
import { isoToDmy } from '../shared/format';
import { useAdmin } from './api';
import { ProvinceLink } from './ProvinceLink';

/** How often the page asks while the system tab is shown, and while another tab is (for the tab's red mark). */
const SHOWN_EVERY_MS = 5_000;
const HIDDEN_EVERY_MS = 60_000;

/** The last `system:status` and when it came (performance.now(), so the clocks shown can run on between asks). */
export interface SystemStatusSeen {
  status: SystemStatus | undefined;
  receivedAt: number;
  /** The hub's refusal, if it refused (an older hub), in its words. */
  error: string | undefined;
}

/**
 * Asks `system:status` now and then: every few seconds while the system tab is shown, once a
 * minute otherwise, so the tab's name turns red from any tab when the clock or the disk needs
 * someone. Kept by the admin page, which passes it to the tab.
 */
export function useSystemStatus(client: Pick<HubClient, 'send'> | undefined, online: boolean, shown: boolean): SystemStatusSeen {
  const [seen, setSeen] = useState<SystemStatusSeen>({ status: undefined, receivedAt: 0, error: undefined });
  useEffect(() => {
    if (!client || !online) return undefined;
    let stopped = false;
    const ask = () =>
      void client.send('system:status', {}).then((r) => {
        if (stopped) return;
        setSeen((was) => (r.ok ? { status: r.data, receivedAt: performance.now(), error: undefined } : { ...was, error: r.error.message }));
      });
    ask();
    const timer = setInterval(ask, shown ? SHOWN_EVERY_MS : HIDDEN_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client, online, shown]);
  return seen;
}

/** Whether the system tab's name carries the red mark: the clock or the disk needs someone. */
export const systemNeedsCare = (status: SystemStatus | undefined): boolean => Boolean(status?.clock.warning || status?.disk.warning);

const CHECK_TEXT: Record<BackupCheckState, string> = { pending: 'Đang kiểm tra', ok: 'Tốt', failed: 'Hỏng' };
const COPY_TEXT: Record<BackupCopyState, string> = { none: 'Không chép', pending: 'Đang chép', copied: 'Đã chép', failed: 'Chép lỗi' };
const CHECK_CLASS: Record<BackupCheckState, string> = { pending: 'warn', ok: 'ok', failed: 'fault' };
const COPY_CLASS: Record<BackupCopyState, string> = { none: '', pending: 'warn', copied: 'ok', failed: 'fault' };

/**
 * The admin's "system" tab (issue 17): how the hub PC itself is doing (disk, memory, uptime,
 * version, the clock with a loud warning), the backups and the province link. Printers and devices have their own tab.
 */
export function SystemTab({ seen }: { seen: SystemStatusSeen }) {
  const { status, error } = seen;
  const ticking = useTicking();
  // The clocks run on between two asks, from the hub's figures (never from this browser's own clock).
  const since = status ? Math.max(0, ticking - seen.receivedAt) : 0;
  return (
    <>
      {status?.clock.warning && (
        <div className="system-alarm" role="alert" data-testid="clock-warning">
          <strong>Đồng hồ của máy chủ có vấn đề! <small>Clock problem</small></strong>
          <p>{status.clock.warning}</p>
        </div>
      )}
      {status?.disk.warning && (
        <div className="system-alarm" role="alert" data-testid="disk-warning">
          <strong>Ổ đĩa sắp đầy! <small>Disk almost full</small></strong>
          <p>{status.disk.warning}</p>
        </div>
      )}
      <section className="admin-section" data-testid="system-tab">
        <h2>
          Máy chủ <small>Hub PC</small>
        </h2>
        {error && (
          <p className="system-refused" role="status" data-testid="system-status-error">
            {error}
          </p>
        )}
        {status ? <HubFigures status={status} since={since} /> : !error && <p className="loading">Đang tải…</p>}
      </section>
      <Backups hubNow={status ? status.clock.now + since : undefined} />
      <ProvinceLink hubNow={status ? status.clock.now + since : undefined} />
    </>
  );
}

/** performance.now(), every second: what the clocks shown run on. */
function useTicking(): number {
  const [at, setAt] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setAt(performance.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return at;
}

function HubFigures({ status, since }: { status: SystemStatus; since: number }) {
  const { disk, memory, clock } = status;
  const used = disk.totalBytes > 0 ? 1 - disk.freeBytes / disk.totalBytes : 0;
  const zone = { utcOffsetMinutes: clock.utcOffsetMinutes };
  const at = (ms: number) => dateTimeVi(ms, { ...zone, seconds: true });
  const offset = `UTC${clock.utcOffsetMinutes >= 0 ? '+' : '−'}${Math.abs(clock.utcOffsetMinutes) / 60}`;
  return (
    <>
      <dl className="system-figures">
        <div>
          <dt>
            Phiên bản <small>Version</small>
          </dt>
          <dd data-testid="system-version">{status.version}</dd>
        </div>
        <div>
          <dt>
            Đã chạy liên tục <small>Uptime</small>
          </dt>
          <dd data-testid="system-uptime">{durationVi(status.uptimeMs)}</dd>
          <dd className="hint">từ {dateTimeVi(status.startedAt, zone)}</dd>
        </div>
        <div>
          <dt>
            Bộ nhớ máy chủ dùng <small>Memory</small>
          </dt>
          <dd data-testid="system-memory">{bytesVi(memory.rssBytes)}</dd>
          <dd className="hint">trong đó {bytesVi(memory.heapUsedBytes)} dữ liệu JavaScript</dd>
        </div>
        <div className="system-disk">
          <dt>
            Ổ đĩa chứa dữ liệu <small>Data disk</small>
          </dt>
          <dd data-testid="system-disk">
            Còn trống {bytesVi(disk.freeBytes)} / {bytesVi(disk.totalBytes)}
          </dd>
          <dd>
            <span className={`system-bar${disk.warning ? ' fault' : ''}`} role="meter" aria-label="Phần ổ đĩa đã dùng" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(used * 100)}>
              <span style={{ width: `${Math.round(used * 100)}%` }} />
            </span>
          </dd>
          <dd className="hint">
            Đã dùng {Math.round(used * 100)} % · thư mục dữ liệu: <code>{disk.dataDir}</code>
          </dd>
        </div>
      </dl>
      <h3 className="system-heading">
        Đồng hồ <small>Clock</small>
      </h3>
      <dl className="system-figures">
        <div>
          <dt>
            Giờ của máy chủ <small>Hub time</small>
          </dt>
          <dd className={clock.warning ? 'system-clock fault' : 'system-clock'} data-testid="system-hub-clock">
            {at(clock.now + since)}
          </dd>
          <dd className="hint">giờ Việt Nam ({offset}): số phiếu theo ngày, báo cáo và bản sao lưu theo giờ này</dd>
        </div>
        <div>
          <dt>
            Giờ của máy tính <small>PC time</small>
          </dt>
          <dd className={clock.warning ? 'system-clock fault' : 'system-clock'} data-testid="system-pc-clock">
            {at(clock.pcNow + since)}
          </dd>
          <dd className="hint">
            {clock.fake ? 'Máy chủ đang chạy với đồng hồ giả (--fake-clock), chỉ dùng để kiểm thử.' : 'Máy chủ dùng đúng giờ này; không có giờ qua Internet ở đây.'}
          </dd>
        </div>
      </dl>
      {clock.jumps.length > 0 && (
        <table className="admin-table narrow" data-testid="clock-jumps">
          <thead>
            <tr>
              <th>Đồng hồ máy tính nhảy lúc</th>
              <th>Nhảy</th>
            </tr>
          </thead>
          <tbody>
            {clock.jumps.map((j) => (
              <tr key={`${j.at}:${j.byMs}`}>
                <td>{dateTimeVi(j.at, zone)}</td>
                <td>{`${j.byMs > 0 ? 'tới' : 'lùi'} ${durationVi(Math.abs(j.byMs))}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/**
 * The backups: the last one with its check, copy and age, every kept one, the space they take, the
 * warning, "back up now", and the second destination with the days kept. A hub that refuses
 * `system:backups` (one without them yet) has its refusal shown here; the rest of the tab stays.
 */
function Backups({ hubNow }: { hubNow: number | undefined }) {
  const { send, act, online } = useAdmin();
  const [view, setView] = useState<BackupsView>();
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const take = useCallback((r: Ack<BackupsView>) => {
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
    const ask = () => void send('system:backups', {}).then((r) => !stopped && take(r));
    ask();
    const timer = setInterval(ask, SHOWN_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [send, online, take]);

  const last = view?.backups[0];
  const age = (b: BackupView) => (hubNow === undefined ? '' : `${durationVi(hubNow - b.madeAt)} trước`);
  return (
    <section className="admin-section" data-testid="backups">
      <h2>
        Sao lưu <small>Backups</small>
      </h2>
      <p className="hint">
        Máy chủ sao lưu cơ sở dữ liệu mỗi ngày, ngay khi thấy ngày mới, rồi kiểm tra bản sao lưu và chép nó sang nơi thứ hai (ổ USB hoặc thư mục mạng) nếu đã đặt.
      </p>
      {refusal && (
        <p className="system-refused" role="status" data-testid="backups-refused">
          {refusal}
        </p>
      )}
      {view?.warning && (
        <p className="system-warning" role="alert" data-testid="backups-warning">
          {view.warning}
        </p>
      )}
      {view &&
        (last ? (
          <p className="system-last" data-testid="backup-last">
            Bản gần nhất: <strong>{isoToDmy(last.day)}</strong> ({age(last)}), {bytesVi(last.bytes)} · kiểm tra: <State kind="check" b={last} /> · nơi thứ hai: <State kind="copy" b={last} />
          </p>
        ) : (
          <p className="hint" data-testid="backup-none">
            Chưa có bản sao lưu nào.
          </p>
        ))}
      <div className="admin-row">
        <button
          type="button"
          className="primary"
          disabled={!online || busy}
          onClick={() => {
            setBusy(true);
            void act('system:backupNow', {}, () => 'Đã sao lưu xong.')
              .then((v) => v && setView(v))
              .finally(() => setBusy(false));
          }}
        >
          {busy ? 'Đang sao lưu…' : 'Sao lưu ngay'} <small>Back up now</small>
        </button>
        {view && (
          <span className="hint">
            {view.backups.length} bản, chiếm {bytesVi(view.totalBytes)} · thư mục: <code>{view.dir}</code>
          </span>
        )}
      </div>
      {view && view.backups.length > 0 && (
        <table className="admin-table" data-testid="backup-list">
          <thead>
            <tr>
              <th>Ngày</th>
              <th>Tạo lúc</th>
              <th className="num">Dung lượng</th>
              <th>Kiểm tra</th>
              <th>Nơi thứ hai</th>
            </tr>
          </thead>
          <tbody>
            {view.backups.map((b) => (
              <tr key={b.file}>
                <td className="nowrap">{isoToDmy(b.day)}</td>
                <td className="nowrap">{dateTimeVi(b.madeAt)}</td>
                <td className="num">{bytesVi(b.bytes)}</td>
                <td>
                  <State kind="check" b={b} />
                </td>
                <td>
                  <State kind="copy" b={b} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view && <BackupSettingsForm view={view} onSaved={setView} />}
    </section>
  );
}

/** A backup's check or copy state, coloured, with the hub's message when it failed. */
function State({ kind, b }: { kind: 'check' | 'copy'; b: BackupView }) {
  const { text, className, state, message } =
    kind === 'check' ? { ...b.check, text: CHECK_TEXT[b.check.state], className: CHECK_CLASS[b.check.state] } : { ...b.copy, text: COPY_TEXT[b.copy.state], className: COPY_CLASS[b.copy.state] };
  return (
    <span className={`printer-state ${className}`} title={message ?? undefined}>
      {text}
      {state === 'failed' && message ? `: ${message}` : ''}
    </span>
  );
}

/** The second destination (a USB drive, a network folder) and the days kept. */
function BackupSettingsForm({ view, onSaved }: { view: BackupsView; onSaved: (v: BackupsView) => void }) {
  const { act, online } = useAdmin();
  const [secondDir, setSecondDir] = useState(view.secondDir ?? '');
  const [keepDays, setKeepDays] = useState(String(view.keepDays));
  const parsed = BackupSettingsSchema.safeParse({ secondDir: secondDir.trim() || null, keepDays: Number(keepDays) });
  const daysProblem = /^\d+$/.test(keepDays) && parsed.success ? undefined : 'Số ngày giữ phải là số nguyên từ 1 đến 365.';
  return (
    <form
      className="admin-form row system-settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed.success) return;
        void act('system:backupSettings', parsed.data, (v) => (v.secondDir ? `Đã lưu: chép bản sao lưu sang ${v.secondDir}, giữ ${v.keepDays} ngày.` : `Đã lưu: không chép sang nơi thứ hai, giữ ${v.keepDays} ngày.`)).then(
          (v) => v && onSaved(v),
        );
      }}
    >
      <label className="field">
        <span>
          Nơi sao lưu thứ hai (ổ USB, thư mục mạng) <small>Second destination</small>
        </span>
        <input value={secondDir} onChange={(e) => setSecondDir(e.target.value)} maxLength={1024} placeholder="ví dụ E:\xephang-sao-luu hoặc /media/usb/xephang" aria-label="Nơi sao lưu thứ hai" className="system-dir" />
      </label>
      <label className="field">
        <span>
          Giữ trong (ngày) <small>Days kept</small>
        </span>
        <input value={keepDays} onChange={(e) => setKeepDays(e.target.value.replace(/\D/g, '').slice(0, 3))} inputMode="numeric" aria-label="Số ngày giữ bản sao lưu" className={`short${daysProblem ? ' invalid' : ''}`} />
        {daysProblem && <span className="field-error">{daysProblem}</span>}
      </label>
      <button type="submit" disabled={!online || Boolean(daysProblem)}>
        Lưu cài đặt sao lưu
      </button>
    </form>
  );
}
