import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { screenAddresses } from '@xephang/protocol';
import { lastLogLines, LOG_DIR } from '../log-file';
import { lanAddresses } from '../transport/lan-addresses';

/** The lines of the log `status` shows. */
export const STATUS_LOG_LINES = 12;

/** Whether a hub answers on `port`, and its counters (from /api/state, what every screen reads). */
export async function probeHub(host: string, port: number, timeoutMs = 3000): Promise<{ counters: number[] } | { error: string }> {
  const address = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  try {
    const res = await fetch(`http://${address.includes(':') ? `[${address}]` : address}:${port}/api/state`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { error: `HTTP ${res.status}` };
    const state = (await res.json()) as { counters?: { id: number }[] };
    return { counters: (state.counters ?? []).map((c) => c.id) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { error: cause ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/**
 * What `status` says on both systems once it knows the data folder and the port: whether the
 * hub answers, the screens' addresses, and the last lines of its own log.
 */
export async function hubStatusLines(o: { dataDir: string; port: number; host?: string }): Promise<string[]> {
  const lines: string[] = [];
  const host = o.host ?? '0.0.0.0';
  const probe = await probeHub(host, o.port);
  if ('counters' in probe) {
    lines.push(`Máy chủ trả lời trên cổng ${o.port} (the hub answers).`);
    const hosts = host === '0.0.0.0' ? ['localhost', ...lanAddresses()] : [host];
    lines.push('', 'Địa chỉ các màn hình (screens):');
    for (const s of screenAddresses(probe.counters)) lines.push(`  ${s.label.padEnd(44)} ${hosts.map((h) => `http://${h}:${o.port}${s.path}`).join('  ')}`);
  } else {
    lines.push(`Máy chủ KHÔNG trả lời trên cổng ${o.port} (${probe.error}) — the hub does not answer.`);
  }
  const logDir = join(o.dataDir, LOG_DIR);
  lines.push('');
  if (!existsSync(logDir)) {
    lines.push(`Chưa có nhật ký trong ${logDir} (no log yet).`);
    return lines;
  }
  try {
    const last = lastLogLines(logDir, STATUS_LOG_LINES);
    if (!last) lines.push(`Chưa có nhật ký trong ${logDir} (no log yet).`);
    else lines.push(`Nhật ký, ${last.lines.length} dòng cuối (${last.file}):`, ...last.lines.map((l) => `  ${l}`));
  } catch (error) {
    lines.push(`Không đọc được nhật ký trong ${logDir} (${(error as NodeJS.ErrnoException).code ?? String(error)}): hãy chạy bằng sudo hoặc bằng người dùng của dịch vụ.`);
  }
  return lines;
}
