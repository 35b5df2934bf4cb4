import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to the bytes between a client (a hub) and its target (the province):
 * - `pass`: both ways, at once (or after `delayMs`);
 * - `refuse`: every connection is closed as soon as it is made, and the open ones are dropped
 *   (the link is cut: the hub's address does not answer);
 * - `hold`: the client's bytes reach the target, the target's replies are kept back (a push the
 *   province stored, whose reply has not reached the hub yet: the moment to kill one end).
 */
export type ProxyMode = 'pass' | 'refuse' | 'hold';

export interface TcpProxy {
  url: string;
  port: number;
  mode: () => ProxyMode;
  /** Switching to `refuse` drops the open connections too (a kept-alive socket would get through). */
  setMode: (mode: ProxyMode) => void;
  /** Every chunk, each way, waits this long before it is written (a slow link); order is kept. */
  setDelay: (ms: number) => void;
  /** Where new connections go (a target restarted on another port). */
  setTarget: (port: number, host?: string) => void;
  /** Resolves once a reply is held back in `hold` mode (at once if one already is). */
  held: (timeoutMs?: number) => Promise<void>;
  /** Drops every open connection, held replies and all. */
  cut: () => void;
  /** Connections accepted so far, refused ones included. */
  accepted: () => number;
  close: () => Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 (port 0) in front of `target`, whose behaviour a test switches while
 * a real client and server talk through it: the way to cut, slow or freeze a link between two
 * real processes without touching either.
 */
export async function startTcpProxy(target: { port: number; host?: string }): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  let delayMs = 0;
  let to = { port: target.port, host: target.host ?? '127.0.0.1' };
  let accepted = 0;
  const open = new Set<Socket>();
  let heldOne = false;
  const waiters = new Set<() => void>();

  /** Writes each chunk after the delay, one after the other, so a slow link keeps their order. */
  const pipe = (from: Socket, into: Socket, replies: boolean) => {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      if (replies && mode === 'hold') {
        // Kept back for good: a held reply is never delivered, its connection is dropped later.
        heldOne = true;
        for (const w of waiters) w();
        waiters.clear();
        return;
      }
      const write = () => {
        if (!into.destroyed) into.write(chunk);
      };
      if (delayMs === 0) chain = chain.then(write);
      else {
        const wait = delayMs;
        chain = chain.then(() => new Promise<void>((r) => setTimeout(r, wait)).then(write));
      }
    });
    // After the bytes still on their way: a held reply's connection is dropped, not ended.
    from.on('close', () => void chain.then(() => (replies && heldOne ? into.destroy() : into.end())));
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = tcpConnect(to.port, to.host);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', () => open.delete(client));
    upstream.on('error', drop).on('close', () => open.delete(upstream));
    pipe(client, upstream, false);
    pipe(upstream, client, true);
  });
  const cut = () => {
    for (const s of open) s.destroy();
    open.clear();
  };
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    mode: () => mode,
    setMode: (next) => {
      // A connection whose reply was held back is broken for good: out of `hold`, it goes too.
      if (next === 'refuse' || (mode === 'hold' && next !== 'hold')) cut();
      mode = next;
      heldOne = false;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    setTarget: (p, host = '127.0.0.1') => {
      to = { port: p, host };
    },
    held: (timeoutMs = 20_000) =>
      heldOne
        ? Promise.resolve()
        : new Promise<void>((done, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(resolve);
              fail(new Error(`no reply held by the proxy after ${timeoutMs} ms`));
            }, timeoutMs);
            const resolve = () => {
              clearTimeout(timer);
              done();
            };
            waiters.add(resolve);
          }),
    cut,
    accepted: () => accepted,
    close: async () => {
      cut();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
