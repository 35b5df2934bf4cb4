import { Worker } from 'node:worker_threads';
import type { Report } from '@xephang/protocol';
import type { Sheet } from '@xephang/reports/export';

// exceljs builds a workbook's XML in one synchronous run: the per-visit sheet of a long range
// (20,000 visits) held the hub's only thread for 7–12 s and 600 MB, and every kiosk, counter and
// display waited. The workbook is built in a thread of its own, which ends with it. The thread finds
// the exporter from this file by Node's own resolution (the built package: it runs plain
// JavaScript, and a test runner's require.resolve would hand it the TypeScript source).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { reportXlsx } = createRequire(workerData.from)('@xephang/reports/export');
reportXlsx(workerData.report, workerData.sheets).then(
  (file) => parentPort.postMessage(file),
  (error) => parentPort.postMessage({ error: String(error && error.stack || error) }),
);
`;

/**
 * The report's XLSX file, built off the hub's main thread (reportXlsx in a worker).
 * @throws Error when the thread fails or ends without the file.
 */
export function reportXlsxOffThread(report: Report, sheets: readonly Sheet[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { from: __filename, report, sheets } });
    worker.once('message', (m: Uint8Array | { error: string }) => {
      if ('error' in m) reject(new Error(m.error));
      else resolve(Buffer.from(m.buffer, m.byteOffset, m.byteLength));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`luồng xuất XLSX dừng (mã ${code}) trước khi có tệp`)));
  });
}
