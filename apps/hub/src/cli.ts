#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DISCOVERY_PORT } from './discovery';
import { DEFAULT_TIMEOUTS, startHub, type Timeouts } from './hub';
import { keepServing } from './last-resort';
import { lanAddresses, screenAddresses } from './screens';

const HELP = `xephang hub — máy chủ xếp hàng

  npm start -- [--port 8080] [--data-dir ./data] [--host 0.0.0.0] [--demo]

  --port N          cổng (mặc định 8080; 0 = cổng trống bất kỳ)
  --data-dir DIR    thư mục dữ liệu (mặc định ./data)
  --host ADDR       địa chỉ lắng nghe (mặc định 0.0.0.0: mọi máy trong mạng LAN)
  --demo            tạo cán bộ mẫu cho 9 quầy (PIN 1111 … 9999) nếu chưa có cán bộ nào
  --no-trust-loopback  ki-ốt và màn hình trên chính máy chủ cũng phải ghép nối
  --kiosk-burst N   số phiếu một ki-ốt được lấy liền nhau (mặc định 10; 0 = không giới hạn)
  --fake-clock ISO  chạy với đồng hồ giả bắt đầu tại ISO (chỉ để kiểm thử)
  --allow-origin URL   cho phép thêm một nguồn trình duyệt (máy chủ phát triển)
  --timeout-ms KIND=MS  thời gian chờ kết nối, lặp lại được: headers=10000 request=30000 idle=60000
                    pingInterval=25000 pingTimeout=20000 (idle phải lớn hơn pingInterval + pingTimeout)
  --host-name NAME  thêm một tên máy chủ được chấp nhận (ví dụ tên trong DNS của mạng LAN); mặc định chỉ
                    localhost, 127.x.x.x, [::1], các địa chỉ IP hiện tại, tên máy và tên máy.local
  --discovery-port N   cổng UDP để ki-ốt và màn hình tự tìm máy chủ trong mạng LAN (mặc định 41234; 0 = cổng trống bất kỳ)
  --no-discovery    tắt chức năng tự tìm máy chủ (thiết bị phải nhập địa chỉ bằng tay)

  XEPHANG_ADMIN_PASSWORD  mật khẩu quản trị cho lần chạy đầu (nếu không, máy chủ tự tạo và in ra một lần)
`;

async function main(): Promise<void> {
  keepServing((line) => process.stderr.write(`${line}\n`));
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      'data-dir': { type: 'string', default: process.env.XEPHANG_DATA_DIR ?? 'data' },
      host: { type: 'string', default: '0.0.0.0' },
      demo: { type: 'boolean', default: false },
      'no-trust-loopback': { type: 'boolean', default: false },
      'kiosk-burst': { type: 'string' },
      'fake-clock': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'host-name': { type: 'string', multiple: true },
      'timeout-ms': { type: 'string', multiple: true },
      'discovery-port': { type: 'string', default: String(DISCOVERY_PORT) },
      'no-discovery': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Cổng không hợp lệ: ${values.port}`);
  const fakeClockAt = values['fake-clock'] === undefined ? undefined : Date.parse(values['fake-clock']);
  if (fakeClockAt !== undefined && Number.isNaN(fakeClockAt)) throw new Error(`--fake-clock cần một thời điểm ISO, ví dụ 2025-07-10T08:00:00+07:00`);
  const dataDir = resolve(values['data-dir']);
  const discoveryPort = Number(values['discovery-port']);
  if (!Number.isInteger(discoveryPort) || discoveryPort < 0 || discoveryPort > 65535) throw new Error(`Cổng UDP tìm máy chủ không hợp lệ: ${values['discovery-port']}`);

  const hub = await startHub({
    dataDir,
    port,
    host: values.host,
    ...(process.env.XEPHANG_ADMIN_PASSWORD ? { adminPassword: process.env.XEPHANG_ADMIN_PASSWORD } : {}),
    demo: values.demo,
    trustLoopback: !values['no-trust-loopback'],
    ...(values['kiosk-burst'] === undefined ? {} : { kioskBurst: Number(values['kiosk-burst']) }),
    ...(fakeClockAt === undefined ? {} : { fakeClockAt }),
    extraOrigins: values['allow-origin'] ?? [],
    hostNames: values['host-name'] ?? [],
    timeouts: parseTimeouts(values['timeout-ms'] ?? []),
    ...(values['no-discovery'] ? {} : { discoveryPort }),
  });

  const out = (line = '') => process.stdout.write(`${line}\n`);
  // Tests and scripts read this line to find the port.
  out(`xephang hub ready on port ${hub.port}`);
  out(`Dữ liệu: ${dataDir}`);
  if (hub.discoveryPort !== undefined) out(`Tự tìm máy chủ trong mạng LAN: cổng UDP ${hub.discoveryPort}`);
  const hosts = values.host === '0.0.0.0' ? ['localhost', ...lanAddresses()] : [values.host];
  const counters = hub.queue.config.counters().map((c) => c.id);
  out('');
  out('Địa chỉ các màn hình (screens):');
  for (const s of screenAddresses(counters)) out(`  ${s.label.padEnd(44)} ${hosts.map((h) => `http://${h}:${hub.port}${s.path}`).join('  ')}`);
  out(`  ${'Trạng thái (JSON)'.padEnd(44)} http://${hosts[0]}:${hub.port}/api/state`);
  out(`Tên được chấp nhận (Host): ${hub.hostNames().join(', ')}, 127.x.x.x`);
  if (hub.generatedAdminPassword) {
    out('');
    out(`Mật khẩu quản trị (chỉ hiện MỘT lần, hãy ghi lại): ${hub.generatedAdminPassword}`);
  }
  if (hub.createdDemoClerks) {
    out('');
    out('Đã tạo cán bộ mẫu: quầy 1 dùng PIN 1111, quầy 2 PIN 2222, … quầy 9 PIN 9999.');
  }
  if (fakeClockAt !== undefined) out('CẢNH BÁO: đồng hồ giả đang bật (--fake-clock), chỉ dùng để kiểm thử.');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    out(`Nhận ${signal}, đang dừng…`);
    hub.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** `--timeout-ms headers=2000 --timeout-ms idle=5000` → { headers: 2000, idle: 5000 }. */
function parseTimeouts(items: readonly string[]): Partial<Timeouts> {
  const out: Partial<Timeouts> = {};
  for (const item of items) {
    const m = /^(\w+)=(\d+)$/.exec(item);
    if (!m || !(m[1]! in DEFAULT_TIMEOUTS)) {
      throw new Error(`--timeout-ms cần dạng TÊN=MS với TÊN là ${Object.keys(DEFAULT_TIMEOUTS).join(', ')} (nhận "${item}")`);
    }
    out[m[1] as keyof Timeouts] = Number(m[2]);
  }
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(`Không khởi động được máy chủ: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
