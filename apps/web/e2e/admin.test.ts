import { describe, expect, it } from '@jest/globals';
import { admin, ADMIN_PASSWORD, openCounter, readDb, rid, unwrap } from '@xephang/testing';
import { notReloaded, online, stage } from '@xephang/testing/stage';


describe('the admin screen and the rating tablet in Chromium against a real hub', () => {
  const s = stage();

  const open = s.open;

  /** The admin page, logged in through its form as the center's head would. */
  const openAdmin = async () => {
    const page = await s.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    await page.goto(`${s.hub.url}/admin`);
    await page.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await online(page);
    return page;
  };

  it('a wrong password is refused with the hub’s message and nothing is kept', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${s.hub.url}/admin`);
    await page.fill('input[aria-label="Họ và tên"]', 'Ai đó');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', 'sai-mat-khau');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[role="alert"]:has-text("Sai mật khẩu quản trị")');
    expect(await page.evaluate(() => sessionStorage.getItem('xephang.admin'))).toBeNull();
    await page.close();
  });

  it("renaming a field and changing a counter's fields show on the kiosk and the TV without a reload", async () => {
    const kiosk = await open('/kiosk', 1080, 1920);
    const tv = await open('/display', 1920, 1080);
    const c4 = await openCounter(s.hub, 4); // open, nobody called: the TV names its first field
    await tv.waitForSelector('[data-counter="4"] .tv-service:has-text("Đăng ký kinh doanh – Tài chính")');
    const page = await openAdmin();

    await page.click('[data-tab="services"]');
    const civil = page.locator('[data-service-row="civil"]');
    await civil.locator('input[aria-label="Tên tiếng Việt"]').fill('Hộ tịch – Chứng thực');
    await civil.locator('input[aria-label="Tên tiếng Anh"]').fill('Civil status – Certification');
    // The official code: a bad one is marked as the admin types, and the hub would refuse it; a good one is saved.
    const code = civil.locator('input[data-field="officialCode"]');
    await code.fill('Hộ tịch');
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    await code.fill('TEST.HT-01');
    expect(await code.getAttribute('aria-invalid')).toBe('false');
    await civil.locator('button:has-text("Lưu")').click();
    await page.waitForSelector('[data-testid="admin-status"]:has-text("Đã lưu lĩnh vực \\"Hộ tịch – Chứng thực\\"")');
    const stored = readDb(s.hub);
    expect(stored.prepare("SELECT official_code FROM services WHERE id = 'civil'").pluck().get()).toBe('TEST.HT-01');
    stored.close();
    await Promise.all([
      kiosk.waitForSelector('[data-service="civil"] .service-name:text-is("Hộ tịch – Chứng thực")'),
      kiosk.waitForSelector('[data-service="civil"] .service-other:text-is("Civil status – Certification")'),
      tv.waitForSelector('.tv-waiting li[data-service="civil"]:has-text("Hộ tịch – Chứng thực")'),
    ]);

    // Counter 4 takes culture first, then drops business.
    await page.click('[data-tab="counters"]');
    const card = page.locator('[data-counter-admin="4"]');
    await card.locator('select').selectOption('culture');
    await card.locator('li[data-service="culture"]').waitFor();
    await card.locator('button[aria-label="Bỏ Đăng ký kinh doanh – Tài chính"]').click();
    await card.locator('li[data-service="business"]').waitFor({ state: 'detached' });
    await tv.waitForSelector('[data-counter="4"] .tv-service:has-text("Văn hoá – Xã hội")');

    // The queue follows too: counter 4's "next" now calls culture, not business.
    const a = await admin(s.hub);
    unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'business' }));
    unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'culture' }));
    expect(unwrap(await c4.send('counter:next', { requestId: rid() })).serviceId).toBe('culture');
    await tv.waitForSelector('[data-testid="tv-counter-4"]:has-text("4001")');

    // Every change is in the log, under the name given at login.
    await page.click('[data-tab="log"]');
    const log = page.locator('[data-testid="audit-log"] tbody tr');
    await log.first().waitFor();
    const lines = await log.allInnerTexts();
    expect(lines.slice(0, 3).every((l) => l.includes('Lê Văn Tâm'))).toBe(true);
    expect(lines[0]).toContain('Quầy 4 phục vụ: Văn hoá – Xã hội (trước: Đăng ký kinh doanh – Tài chính, Văn hoá – Xã hội)');
    expect(lines[2]).toContain('Sửa lĩnh vực civil: tên "Tư pháp – Hộ tịch" → "Hộ tịch – Chứng thực"');

    for (const p of [kiosk, tv]) {
      expect(await notReloaded(p)).toBe(true);
      await p.close();
    }
    await page.close();
    a.close();
    c4.close();
  });

  it('a rating given on the tablet after the clerk finishes appears in the report', async () => {
    const tablet = await open('/rate/3', 1280, 800);
    expect(await tablet.getAttribute('[data-testid="rate"]', 'data-phase')).toBe('idle');
    const a = await admin(s.hub);
    const c3 = await openCounter(s.hub, 3);
    const issued = unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    unwrap(await c3.send('counter:next', { requestId: rid() }));
    unwrap(await c3.send('counter:start', { requestId: rid() }));
    // Still serving: nothing to rate yet.
    expect(await tablet.getAttribute('[data-testid="rate"]', 'data-phase')).toBe('idle');
    unwrap(await c3.send('counter:finish', { requestId: rid(), outcome: 'received' }));

    await tablet.waitForSelector('[data-phase="ask"]');
    expect(await tablet.innerText('.rate-visit')).toContain(`Số ${issued.ticket.number}`);
    await tablet.click('[data-score="5"]:has-text("Rất hài lòng")');
    await tablet.click('[data-trips="1"]');
    await tablet.waitForSelector('[data-phase="thanks"]:has-text("Xin cảm ơn quý khách!")');

    const page = await openAdmin();
    await page.click('[data-tab="reports"]');
    await page.waitForSelector('[data-testid="report"]');
    const satisfaction = page.locator('[data-testid="report-satisfaction"] tbody tr');
    const cells = async (name: string) =>
      (await satisfaction.filter({ has: page.locator(`td:first-child:text-is("${name}")`) }).locator('td').allInnerTexts()).slice(0, 8);
    // name, ratings, Rất hài lòng, Hài lòng, Bình thường, Không hài lòng, Rất không hài lòng, satisfied share
    expect(await cells('Toàn trung tâm')).toEqual(['Toàn trung tâm', '1', '1', '0', '0', '0', '0', '100,0%']);
    expect(await cells('Quầy 3')).toEqual(['Quầy 3', '1', '1', '0', '0', '0', '0', '100,0%']);
    expect(await cells('Cán bộ Lê Thị Thu Hà')).toEqual(['Cán bộ Lê Thị Thu Hà', '1', '1', '0', '0', '0', '0', '100,0%']);
    // The share's definition beside it; no old four-level ratings, so no old scale.
    expect(await page.locator('[data-testid="satisfied-definition"]').innerText()).toContain('Tỷ lệ hài lòng = (số đánh giá "Rất hài lòng" + "Hài lòng") / tổng số đánh giá theo thang 5 mức');
    expect(await page.locator('[data-testid="report-satisfaction-legacy"]').count()).toBe(0);
    expect(await page.locator('[data-testid="report-trips"] tr').first().innerText()).toBe('Lần đầu\t1');
    const land = await page.locator('[data-testid="report-fields"] tr[data-service="land"] td').allInnerTexts();
    // name, official code (none set), issued, transferred in, served, received
    expect(land.slice(0, 6)).toEqual(['Nông nghiệp – Môi trường – Đất đai', '—', '1', '0', '1', '1']);

    const db = readDb(s.hub);
    expect(db.prepare('SELECT ticket_id, counter_id, clerk_id, scale, score, trips FROM ratings').all()).toEqual([
      { ticket_id: issued.ticket.id, counter_id: 3, clerk_id: 3, scale: 'v5', score: 5, trips: 1 },
    ]);
    db.close();
    // The tablet goes back to its idle screen by itself.
    await tablet.waitForSelector('[data-phase="idle"]', { timeout: 10_000 });
    await tablet.close();
    await page.close();
    a.close();
    c3.close();
  });
  it('imports the center\'s procedures from a CSV: checked first, each unreadable row named, then applied', async () => {
    const page = await openAdmin();
    await page.click('[role="tab"]:has-text("Thủ tục")');
    const csv = [
      'mã,tên thủ tục,lĩnh vực,giấy tờ cần mang',
      'XP-01,Cấp bản sao trích lục hộ tịch,civil,Giấy tờ tuỳ thân',
      'XP-02,Một thủ tục không rõ lĩnh vực,Thuế,',
    ].join('\n');
    await page.setInputFiles('input[aria-label="Tệp danh mục thủ tục"]', { name: 'thu-tuc.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('button:has-text("Kiểm tra")');
    const report = page.locator('[data-testid="catalog-report"]');
    await report.waitFor();
    expect(await report.innerText()).toContain('1/2 dòng đọc được');
    expect(await report.locator('td').first().innerText()).toBe('3');
    const count = () => {
      const db = readDb(s.hub);
      try {
        return (db.prepare("SELECT count(*) AS n FROM procedures WHERE code = 'XP-01'").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(count()).toBe(0);
    await page.click('button:has-text("Nhập (thêm và cập nhật)")');
    await page.waitForSelector('[data-testid="catalog-report"]:has-text("thêm 1")');
    expect(count()).toBe(1);
    await page.close();
  });
  it("the admin's kiosk heading and note show on the kiosk at once", async () => {
    const kiosk = await s.open('/kiosk', 1080, 1920);
    const a = await admin(s.hub);
    const state = a.state()!;
    unwrap(
      await a.send('config:setTexts', {
        centerName: state.centerName,
        notice: state.notice,
        kioskTitleVi: 'Mời chọn việc cần làm hôm nay',
        kioskTitleEn: 'Choose what you came for',
        kioskNote: 'Hồ sơ đất đai nhận đến 16 giờ',
      }),
    );
    await kiosk.waitForSelector('[data-testid="kiosk-title"]:has-text("Mời chọn việc cần làm hôm nay")');
    expect(await kiosk.locator('[data-testid="kiosk-note"]').innerText()).toBe('Hồ sơ đất đai nhận đến 16 giờ');
    await kiosk.click('text=English');
    await kiosk.waitForSelector('[data-testid="kiosk-title"]:has-text("Choose what you came for")');
    expect(await notReloaded(kiosk)).toBe(true);
    a.close();
    await kiosk.close();
  });
});
