/**
 * How long a connection may take, in ms. A LAN client sends its headers and a 4 KB body in
 * milliseconds; a slow one only holds a socket (slowloris). `idle` must stay above socket.io's
 * long-polling hold (`pingInterval` + `pingTimeout`): an old TV browser that polls sits that
 * long on one request with no byte moving.
 */
export interface Timeouts {
  headers: number;
  request: number;
  idle: number;
  pingInterval: number;
  pingTimeout: number;
  /** How long the admin's reprint or test print at a kiosk that prints itself waits for the kiosk's answer. */
  kioskAnswer: number;
  /** Quiet time after which the ticket drawing thread is replaced by a fresh, warmed one (printing.ts); benches shorten it. */
  renderRecycle: number;
}
export const DEFAULT_TIMEOUTS: Timeouts = { headers: 10_000, request: 30_000, idle: 60_000, pingInterval: 25_000, pingTimeout: 20_000, kioskAnswer: 15_000, renderRecycle: 60_000 };

/** The timeouts with defaults filled in. @throws Error (Vietnamese) when they cannot work together. */
export function checkTimeouts(given: Partial<Timeouts> = {}): Timeouts {
  const t = { ...DEFAULT_TIMEOUTS, ...given };
  for (const [name, value] of Object.entries(t)) {
    if (!Number.isInteger(value) || value < 100) throw new Error(`Thời gian chờ ${name} phải là số nguyên từ 100 ms trở lên (nhận ${value}).`);
  }
  if (t.headers > t.request) throw new Error(`Thời gian chờ phần đầu yêu cầu (${t.headers} ms) không được dài hơn thời gian chờ cả yêu cầu (${t.request} ms).`);
  if (t.idle <= t.pingInterval + t.pingTimeout) {
    throw new Error(`Thời gian chờ khi kết nối im lặng (${t.idle} ms) phải dài hơn ping interval + ping timeout (${t.pingInterval + t.pingTimeout} ms), nếu không màn hình dùng long-polling bị ngắt.`);
  }
  return t;
}
