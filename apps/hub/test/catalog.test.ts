import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { CATALOG_PART_CHARS, type Ack, type CatalogImportReply, type CatalogImportReport } from '@xephang/protocol';
import { admin, disposeHub, kiosk, readDb, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

function refused<T>(ack: Ack<T>): { code: string; message: string } {
  if (ack.ok) throw new Error(`expected a refusal, got ${JSON.stringify(ack.data)}`);
  return ack.error;
}

/** Sends a file as the admin page does: base64, in parts under the hub's message cap. */
async function upload(a: HubClient, fileName: string, bytes: Uint8Array, mode: 'check' | 'merge' | 'replace'): Promise<CatalogImportReport> {
  const text = Buffer.from(bytes).toString('base64');
  const size = CATALOG_PART_CHARS - (CATALOG_PART_CHARS % 4);
  const parts = Math.max(1, Math.ceil(text.length / size));
  const uploadId = rid().replaceAll('-', '');
  let reply: CatalogImportReply | undefined;
  for (let part = 0; part < parts; part++) {
    reply = unwrap(await a.send('catalog:import', { uploadId, fileName, part, parts, data: text.slice(part * size, (part + 1) * size), mode }));
    if (part < parts - 1) expect(reply).toEqual({ complete: false, received: part + 1, parts });
  }
  if (!reply?.complete) throw new Error('the last part did not complete the upload');
  return reply.report;
}

const csv = (lines: string[]) => new TextEncoder().encode(lines.join('\n'));

describe('the catalog through the hub', () => {
  let hub: HubProcess;
  let a: HubClient;
  beforeAll(async () => {
    hub = await startHubProcess();
    a = await admin(hub);
  });
  afterAll(async () => {
    a?.close();
    await disposeHub(hub);
  });

  it('gives a kiosk the starter catalog, and only the version once it has it', async () => {
    const k = await kiosk(hub);
    const first = unwrap(await k.send('catalog:get', {}));
    expect(first.procedures!.length).toBeGreaterThanOrEqual(60);
    expect(first.procedures!.find((p) => p.code === 'HT-01')).toEqual(
      expect.objectContaining({ name: 'Đăng ký khai sinh', serviceId: 'civil', papers: expect.arrayContaining(['Giấy chứng sinh (bản chính)']) }),
    );
    expect(unwrap(await k.send('catalog:get', { since: first.version }))).toEqual({ version: first.version });
    k.close();
  });

  it('issues a ticket for a procedure: stored on the ticket, checked against the field', async () => {
    const k = await kiosk(hub);
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil', procedureCode: 'HT-01' }));
    expect(issued.ticket.serviceId).toBe('civil');
    expect(issued.procedure).toEqual(expect.objectContaining({ code: 'HT-01', name: 'Đăng ký khai sinh' }));
    const db = readDb(hub);
    expect(db.prepare('SELECT procedure_code FROM tickets WHERE id = ?').get(issued.ticket.id)).toEqual({ procedure_code: 'HT-01' });
    db.close();

    const wrongField = refused(await k.send('ticket:issue', { requestId: rid(), serviceId: 'land', procedureCode: 'HT-01' }));
    expect(wrongField).toEqual({ code: 'invalid_payload', message: 'Thủ tục "Đăng ký khai sinh" không thuộc lĩnh vực "Nông nghiệp – Môi trường – Đất đai".' });
    expect(refused(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil', procedureCode: 'KHONG-CO' })).code).toBe('not_found');
    expect(refused(await k.send('catalog:import', { uploadId: 'upload-0001', fileName: 'a.csv', part: 0, parts: 1, data: '' })).code).toBe('forbidden');
    k.close();
  });

  it('imports a good file in parts, merging by code', async () => {
    const rows = ['Mã,Tên thủ tục,Lĩnh vực,Giấy tờ cần mang'];
    // Enough rows that the file needs several parts under the 16 KB message cap.
    for (let i = 1; i <= 400; i++) rows.push(`1.${String(i).padStart(6, '0')},"Thủ tục thử số ${i}, có dấu phẩy",Văn hoá – Xã hội,Đơn đề nghị; Thẻ căn cước`);
    rows.push('HT-01,Đăng ký khai sinh,Tư pháp – Hộ tịch,Tờ khai; Giấy chứng sinh');
    const checked = await upload(a, 'danh-muc.csv', csv(rows), 'check');
    expect(checked).toEqual(expect.objectContaining({ applied: false, rows: 401, readable: 401, problems: [] }));

    const before = unwrap(await a.send('catalog:get', {}));
    const report = await upload(a, 'danh-muc.csv', csv(rows), 'merge');
    expect(report).toEqual(expect.objectContaining({ format: 'csv', applied: true, added: 400, updated: 1, removed: 0, total: before.procedures!.length + 400, problems: [] }));
    expect(report.message).toBe(`Đã nhập: 400 thủ tục mới, 1 thủ tục cập nhật; danh mục có ${before.procedures!.length + 400} thủ tục.`);
    const after = unwrap(await a.send('catalog:get', { since: before.version }));
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.procedures!.find((p) => p.code === '1.000007')).toEqual({ code: '1.000007', name: 'Thủ tục thử số 7, có dấu phẩy', serviceId: 'culture', papers: ['Đơn đề nghị', 'Thẻ căn cước'] });
    expect(after.procedures!.find((p) => p.code === 'HT-01')!.papers).toEqual(['Tờ khai', 'Giấy chứng sinh']);
  });

  it('reports a broken file row by row and never replaces the catalog with it', async () => {
    const before = unwrap(await a.send('catalog:get', {}));
    const broken = csv([
      'mã,tên thủ tục,lĩnh vực,giấy tờ cần mang',
      '2.000001,Đăng ký khai tử,Tư pháp – Hộ tịch,',
      ',Đăng ký kết hôn,Tư pháp – Hộ tịch,',
      '2.000002,Cấp phép nghề cá,Thủy sản,',
    ]);
    const report = await upload(a, 'hong.csv', broken, 'replace');
    expect(report).toEqual(
      expect.objectContaining({
        applied: false,
        rows: 3,
        readable: 1,
        problems: [
          { line: 3, reason: 'thiếu mã thủ tục' },
          { line: 4, reason: expect.stringContaining('lĩnh vực "Thủy sản" không có ở trung tâm') },
        ],
      }),
    );
    expect(report.message).toContain('Chưa thay danh mục vì 2 dòng không đọc được');
    expect(unwrap(await a.send('catalog:get', { since: before.version }))).toEqual({ version: before.version });

    const notExcel = await a.send('catalog:import', { uploadId: 'upload-hong-xlsx', fileName: 'hong.xlsx', part: 0, parts: 1, data: Buffer.from('không phải Excel').toString('base64'), mode: 'merge' });
    expect(refused(notExcel)).toEqual({ code: 'invalid_payload', message: expect.stringContaining('Không đọc được tệp XLSX') });

    // The good rows of a broken file can still be merged on purpose.
    const merged = await upload(a, 'hong.csv', broken, 'merge');
    expect(merged).toEqual(expect.objectContaining({ applied: true, added: 1, problems: expect.arrayContaining([expect.objectContaining({ line: 3 })]) }));
    expect(merged.message).toContain('2 dòng không đọc được');

    const db = readDb(hub);
    const logged = db.prepare("SELECT detail FROM events WHERE type = 'catalog:imported' ORDER BY id").all() as { detail: string }[];
    db.close();
    expect(logged.map((l) => JSON.parse(l.detail) as { mode: string; applied: boolean })).toEqual(
      expect.arrayContaining([expect.objectContaining({ mode: 'replace', applied: false }), expect.objectContaining({ mode: 'merge', applied: true })]),
    );
  });

  it('keeps the catalog and the tickets\' procedures across a restart', async () => {
    const before = unwrap(await a.send('catalog:get', {}));
    a.close();
    hub = await hub.restart();
    a = await admin(hub);
    const after = unwrap(await a.send('catalog:get', {}));
    expect(after).toEqual(before);
  });
});
