import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

describe('the TCP proxy between a real client and a real server', () => {
  let server: Server;
  let proxy: TcpProxy;
  let answered = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      answered += 1;
      res.setHeader('connection', 'close');
      res.end(`ok ${req.url}`);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    proxy = await startTcpProxy({ port: (server.address() as { port: number }).port });
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('passes, refuses, holds a reply the server sent, and delays', async () => {
    expect(await (await fetch(`${proxy.url}/a`)).text()).toBe('ok /a');

    proxy.setMode('refuse');
    await expect(fetch(`${proxy.url}/b`)).rejects.toThrow();
    expect(answered).toBe(1);

    proxy.setMode('hold');
    const pending = fetch(`${proxy.url}/c`).then(
      () => 'answered',
      () => 'failed',
    );
    await proxy.held();
    expect(answered).toBe(2); // the server did its work, the client has nothing yet
    proxy.cut();
    expect(await pending).toBe('failed');

    proxy.setMode('pass');
    proxy.setDelay(300);
    const t0 = performance.now();
    expect(await (await fetch(`${proxy.url}/d`)).text()).toBe('ok /d');
    // At least one chunk each way, each held 300 ms.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(590);
  });
});
