import { describe, expect, it } from '@jest/globals';
import { hostNames, nameOf } from './host-names';

describe('hostNames', () => {
  const names = hostNames(['Quay.XA-hatrung.lan'], { addresses: () => ['192.168.1.10', 'fe80::1'], hostName: () => 'HUB-PC' });

  it('accepts the hub’s own names, with or without a port, in any case', () => {
    for (const host of ['localhost', 'LOCALHOST:8080', '127.0.0.1:8080', '127.45.6.7', '[::1]:8080', '192.168.1.10:8080', '[fe80::1]:8080', 'hub-pc:8080', 'hub-pc.local', 'quay.xa-hatrung.lan:8080', 'localhost.:8080']) {
      expect([host, names.allows(host)]).toEqual([host, true]);
    }
  });

  it('refuses every other name, and what is not a Host at all', () => {
    for (const host of ['evil.example:8080', 'localhost.evil.example', '127.0.0.1.nip.io', '127.0.0.1:8080:80', '10.0.0.5:8080', 'hub-pc.evil', '', '[::2]', 'a b', undefined]) {
      expect([host, names.allows(host)]).toEqual([host, false]);
    }
  });

  it('reads the LAN addresses again after a few seconds: a DHCP lease that changed is followed', () => {
    let t = 0;
    let lan = ['192.168.1.10'];
    const fresh = hostNames([], { addresses: () => lan, hostName: () => 'x', clock: () => t });
    expect(fresh.allows('192.168.1.10')).toBe(true);
    lan = ['192.168.1.77'];
    t = 6_000;
    expect(fresh.allows('192.168.1.77')).toBe(true);
    expect(fresh.allows('192.168.1.10')).toBe(false);
  });

  it('takes the name out of a Host header', () => {
    expect(nameOf('[::1]:80')).toBe('::1');
    expect(nameOf('Example.COM:1')).toBe('example.com');
    expect(nameOf('a:b:c')).toBeUndefined();
  });
});
