import { useEffect, useState } from 'react';
import type { AuditEntry } from '@xephang/protocol';
import { dateVi, timeVi } from '../shared/format';
import { useAdmin } from './api';

/** Every configuration change, newest first, with who made it. */
export function LogTab() {
  const { send, state } = useAdmin();
  const [entries, setEntries] = useState<AuditEntry[]>();
  // Read again whenever the configuration changed (the state's seq moves with it).
  const seq = state.seq;
  useEffect(() => {
    void send('config:log', { limit: 200 }).then((r) => r.ok && setEntries(r.data));
  }, [send, seq]);
  return (
    <section className="admin-section">
      <h2>Nhật ký thay đổi <small>Change log</small></h2>
      {!entries ? (
        <p className="loading">Đang tải…</p>
      ) : entries.length === 0 ? (
        <p className="hint">Chưa có thay đổi nào.</p>
      ) : (
        <table className="admin-table log-table" data-testid="audit-log">
          <thead>
            <tr>
              <th>Thời gian</th>
              <th>Người thao tác</th>
              <th>Nội dung</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">
                  {timeVi(e.at, true)}
                  <br />
                  <small>{dateVi(e.at)}</small>
                </td>
                <td>{e.by || '—'}</td>
                <td>{e.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
