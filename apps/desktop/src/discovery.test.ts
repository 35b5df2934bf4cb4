import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { disposeHub, display, startHubProcess, until, type HubProcess } from '@xephang/testing';
import { broadcastAddresses, discoverHubs } from './discovery';

/** The UDP port the hub printed. */
async function discoveryPortOf(hub: HubProcess): Promise<number> {
  await until(() => /cổng UDP (\d+)/.test(hub.output()), 'the discovery port line');
  return Number(/cổng UDP (\d+)/.exec(hub.output())![1]);
}

describe('finding the hub on the LAN (a real UDP exchange with the real hub on loopback)', () => {
  let hub: HubProcess;
  let port: number;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--discovery-port', '0'] });
    port = await discoveryPortOf(hub);
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('finds the hub, with the address its screens are at', async () => {
    const found = await discoverHubs({ port, targets: ['127.0.0.1'], timeoutMs: 600, repeatMs: 200 });
    const tv = await display(hub);
    const state = tv.state()!;
    tv.close();
    expect(found).toEqual([{ url: hub.url, hubId: state.hubId, name: state.centerName, protocolVersion: 1, compatible: true }]);
    // The address works: it is the hub's HTTP server.
    expect((await fetch(`${found[0]!.url}/health`)).status).toBe(200);
  });

  it('lists a hub once however many times it answers', async () => {
    const found = await discoverHubs({ port, targets: ['127.0.0.1', '127.0.0.1'], timeoutMs: 700, repeatMs: 100 });
    expect(found).toHaveLength(1);
  });

  it('finds several hubs on one network', async () => {
    const second = await startHubProcess({ args: ['--discovery-port', '0'] });
    try {
      const secondPort = await discoveryPortOf(second);
      const a = await discoverHubs({ port, targets: ['127.0.0.1'], timeoutMs: 400 });
      const b = await discoverHubs({ port: secondPort, targets: ['127.0.0.1'], timeoutMs: 400 });
      expect(a[0]!.hubId).not.toBe(b[0]!.hubId);
      expect(b[0]!.url).toBe(second.url);
    } finally {
      await disposeHub(second);
    }
  });

  it('finds nothing, without failing, where no hub answers', async () => {
    const quiet = await startHubProcess({ args: ['--no-discovery'] });
    try {
      expect(await discoverHubs({ port: port + 1, targets: ['127.0.0.1'], timeoutMs: 400 })).toEqual([]);
      expect(await discoverHubs({ port, targets: ['203.0.113.1'], timeoutMs: 300 })).toEqual([]);
    } finally {
      await disposeHub(quiet);
    }
  });
});

describe('broadcast addresses', () => {
  it('are computed from each IPv4 network, skipping loopback and IPv6', () => {
    expect(
      broadcastAddresses({
        lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
        eth0: [
          { address: '192.168.1.23', netmask: '255.255.255.0', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: '192.168.1.23/24' },
          { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
        ],
        wlan0: [{ address: '10.20.30.40', netmask: '255.255.240.0', family: 'IPv4', mac: '11:22:33:44:55:66', internal: false, cidr: '10.20.30.40/20' }],
      }),
    ).toEqual(['192.168.1.255', '10.20.31.255']);
  });
});
