import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_PASSWORD, disposeHub, startHubProcess, type HubProcess } from '@xephang/testing';

const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

describe('report downloads and the password limit', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess();
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('lets the admin download report after report, and stops a guesser', async () => {
    const get = (password: string) => fetch(`${hub.url}/api/reports/export.csv?day=2025-07-10`, { headers: { authorization: basic(password) } });
    for (let i = 0; i < 15; i++) expect((await get(ADMIN_PASSWORD)).status).toBe(200);
    const wrong: number[] = [];
    for (let i = 0; i < 11; i++) wrong.push((await get('doan-mo')).status);
    expect(wrong.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(wrong[10]).toBe(429);
    // Locked for guessers means locked from that address, even with the right password, for a while.
    expect((await get(ADMIN_PASSWORD)).status).toBe(429);
  });
});
