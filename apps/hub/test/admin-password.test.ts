import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { ADMIN_PASSWORD, admin, client, disposeHub, readDb, startHubProcess, tryConnect, unwrap, until, type HubProcess } from '@xephang/testing';

const NEW_PASSWORD = 'Hà-Trung-2026-moi';

function storedHash(hub: HubProcess): string {
  const db = readDb(hub);
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'admin_password_hash'").get() as { value: string }).value;
  } finally {
    db.close();
  }
}

/** Every text the database holds in its log and settings, to look for a password in clear. */
function storedTexts(hub: HubProcess): string {
  const db = readDb(hub);
  try {
    const events = db.prepare('SELECT coalesce(detail, \'\') AS t FROM events').all() as { t: string }[];
    const meta = db.prepare('SELECT value AS t FROM meta').all() as { t: string }[];
    return [...events, ...meta].map((r) => r.t).join('\n');
  } finally {
    db.close();
  }
}

const report = (hub: HubProcess, password: string) =>
  fetch(`${hub.url}/api/reports/export.json?day=2026-12-05`, { headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` } });

describe('the admin changes the admin password on the admin page', () => {
  let hub: HubProcess;
  let boss: HubClient;
  let other: HubClient;

  beforeAll(async () => {
    hub = await startHubProcess();
    boss = await client(hub, { role: 'admin', password: ADMIN_PASSWORD, adminName: 'Lê Văn Tâm' });
    other = await admin(hub);
  });
  afterAll(async () => {
    boss?.close();
    other?.close();
    await disposeHub(hub);
  });

  it('refuses a weak, mistyped or unchanged password, and a wrong current one, changing nothing', async () => {
    const before = storedHash(hub);
    const cases: [Record<string, string>, string, string][] = [
      [{ newPassword: 'ngan-qua', repeatPassword: 'ngan-qua' }, 'invalid_payload', 'ít nhất 10 ký tự'],
      [{ newPassword: 'chuachuachua', repeatPassword: 'chuachuachua' }, 'invalid_payload', 'hai loại trong ba'],
      [{ newPassword: '1234567890', repeatPassword: '1234567890' }, 'invalid_payload', 'chữ cái, chữ số, ký hiệu'],
      [{ newPassword: NEW_PASSWORD, repeatPassword: `${NEW_PASSWORD}x` }, 'invalid_payload', 'không giống nhau'],
      [{ newPassword: ADMIN_PASSWORD, repeatPassword: ADMIN_PASSWORD }, 'invalid_payload', 'khác mật khẩu hiện tại'],
    ];
    for (const [fields, code, text] of cases) {
      const reply = await boss.send('admin:changePassword', { currentPassword: ADMIN_PASSWORD, ...fields } as never);
      expect(reply.ok).toBe(false);
      if (reply.ok) continue;
      expect(reply.error.code).toBe(code);
      expect(reply.error.message).toContain(text);
    }
    const wrong = await boss.send('admin:changePassword', { currentPassword: 'doan-mo-123', newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD });
    expect(wrong).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Mật khẩu hiện tại không đúng; mật khẩu quản trị chưa được đổi.' } });
    expect(storedHash(hub)).toBe(before);
    expect(other.online()).toBe(true);
  });

  it('a good change: the old password no longer opens anything, the new one does, other admin screens are told and logged out', async () => {
    const told: string[] = [];
    other.socket.on('hub:error', (e) => told.push(e.message));
    let droppedBy = '';
    other.socket.on('disconnect', (reason) => (droppedBy = reason));

    const reply = unwrap(await boss.send('admin:changePassword', { currentPassword: ADMIN_PASSWORD, newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD }));
    expect(reply.loggedOut).toBe(1);
    await until(() => droppedBy !== '', 'the other admin screen dropped');
    expect(droppedBy).toBe('io server disconnect');
    expect(told).toEqual(['Mật khẩu quản trị vừa được đổi bởi Lê Văn Tâm. Hãy đăng nhập lại bằng mật khẩu mới.']);
    // The screen that changed it keeps working.
    expect(boss.online()).toBe(true);
    expect(unwrap(await boss.send('config:get', {})).texts.centerName).not.toBe('');

    expect(await tryConnect(hub, { role: 'admin', password: ADMIN_PASSWORD })).toBe('Sai mật khẩu quản trị.');
    expect(await tryConnect(hub, { role: 'admin', password: NEW_PASSWORD })).toBe('connected');
    expect((await report(hub, ADMIN_PASSWORD)).status).toBe(401);
    expect((await report(hub, NEW_PASSWORD)).status).toBe(200);

    // Logged with who did it, never the password itself (nor the old one) in clear.
    const log = unwrap(await boss.send('config:log', {}));
    expect(log[0]).toMatchObject({ type: 'admin:password', by: 'Lê Văn Tâm', what: 'Đổi mật khẩu quản trị; các màn hình quản trị khác phải đăng nhập lại' });
    const texts = storedTexts(hub);
    expect(texts).not.toContain(NEW_PASSWORD);
    expect(texts).not.toContain(ADMIN_PASSWORD);
    expect(hub.output()).not.toContain(NEW_PASSWORD);
  });

  it('the new password survives a restart', async () => {
    boss.close();
    hub = await hub.restart();
    expect(await tryConnect(hub, { role: 'admin', password: NEW_PASSWORD })).toBe('connected');
    boss = await client(hub, { role: 'admin', password: NEW_PASSWORD, adminName: 'Lê Văn Tâm' });
  });

  it('five wrong current passwords in a row stop the form, even for the right one, and say how long', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await boss.send('admin:changePassword', { currentPassword: `sai-${i}-mat-khau`, newPassword: 'Mot-mat-khau-khac-1', repeatPassword: 'Mot-mat-khau-khac-1' });
      expect(!wrong.ok && wrong.error.code).toBe('unauthorized');
    }
    const stopped = await boss.send('admin:changePassword', { currentPassword: NEW_PASSWORD, newPassword: 'Mot-mat-khau-khac-1', repeatPassword: 'Mot-mat-khau-khac-1' });
    // A try comes back every 12 s: the message says so, not a minute.
    expect(stopped).toEqual({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/^Nhập sai mật khẩu hiện tại quá nhiều lần\. Hãy chờ ([1-9]|1[0-2]) giây rồi thử lại\.$/) } });
    expect(await tryConnect(hub, { role: 'admin', password: NEW_PASSWORD })).toBe('connected');
  });
});
