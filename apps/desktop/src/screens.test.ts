import { describe, expect, it } from '@jest/globals';
import { hubCsp, hubRole, isAllowedNavigation, isLocalPage, navigationAllowed, normalizeHubUrl, permissionAllowed, playsSound, screenUrl, withHubCsp } from './screens';

const HUB = 'http://192.168.1.10:8080';

describe('the hub address a technician types', () => {
  it.each([
    ['192.168.1.10', 'http://192.168.1.10:8080'],
    ['192.168.1.10:8080', 'http://192.168.1.10:8080'],
    ['  192.168.1.10:9000  ', 'http://192.168.1.10:9000'],
    ['http://192.168.1.10:8080/kiosk?x=1#y', 'http://192.168.1.10:8080'],
    ['http://may-chu-xephang', 'http://may-chu-xephang:8080'],
    ['http://192.168.1.10:80', 'http://192.168.1.10'],
    ['https://hub.xa-hatrung.local', 'https://hub.xa-hatrung.local'],
    ['[fd00::10]:8080', 'http://[fd00::10]:8080'],
    ['localhost', 'http://localhost:8080'],
  ])('reads %j as %s', (input, origin) => {
    expect(normalizeHubUrl(input)).toBe(origin);
  });

  it.each([
    ['', /Hãy nhập địa chỉ máy chủ/],
    ['ftp://192.168.1.10', /http:\/\//],
    ['file:///etc/passwd', /http:\/\//],
    ['http://admin:pw@192.168.1.10:8080', /tên đăng nhập/],
    ['http://', /không hợp lệ/],
    ['192.168.1.10:99999', /không hợp lệ/],
  ])('refuses %j with a Vietnamese reason', (input, reason) => {
    expect(() => normalizeHubUrl(input)).toThrow(reason);
  });
});

describe('each role opens its screen on the hub', () => {
  it.each([
    ['kiosk', null, '/kiosk', 'kiosk'],
    ['display', null, '/display', 'display'],
    ['counter-display', 4, '/display/counter/4', 'display'],
    ['counter', 9, '/counter/9', 'counter'],
  ] as const)('%s (counter %s) → %s, hub role %s', (role, counterId, path, hub) => {
    expect(hubRole(role)).toBe(hub);
    expect(screenUrl(HUB, role, counterId, null)).toBe(`${HUB}${path}`);
  });

  it('refuses a counter role without a valid counter', () => {
    expect(() => screenUrl(HUB, 'counter', null, null)).toThrow(/số quầy/);
    expect(() => screenUrl(HUB, 'counter-display', 0, null)).toThrow(/số quầy/);
    expect(() => screenUrl(HUB, 'counter', 100, null)).toThrow(/số quầy/);
  });

  it('hands the device token to the page in the fragment, which never reaches a server', () => {
    const url = new URL(screenUrl(HUB, 'counter', 3, 'fSQv0c-1vhR+oatm/4Iy='));
    expect(url.origin + url.pathname).toBe(`${HUB}/counter/3`);
    expect(url.search).toBe('');
    expect(new URLSearchParams(url.hash.slice(1)).get('token')).toBe('fSQv0c-1vhR+oatm/4Iy=');
  });

  it('gives sound without a click to the displays only', () => {
    expect(['kiosk', 'display', 'counter-display', 'counter'].filter((r) => playsSound(r as never))).toEqual(['display', 'counter-display']);
  });
});

describe('navigation stays on the hub', () => {
  it.each([
    [`${HUB}/kiosk`, true],
    [`${HUB}/display/counter/2#token=x`, true],
    [`${HUB}/api/state`, true],
    ['http://192.168.1.10:8081/kiosk', false],
    ['https://192.168.1.10:8080/kiosk', false],
    ['http://192.168.1.100:8080/kiosk', false],
    ['http://192.168.1.10.evil.example:8080/', false],
    [`http://user@192.168.1.10:8080/`, false],
    ['https://www.google.com/', false],
    ['file:///C:/Windows/System32/cmd.exe', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<h1>hi</h1>', false],
    ['chrome://settings', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedNavigation(url, HUB)).toBe(allowed);
  });

  it('shows only the app\'s own local pages', () => {
    const pages = ['file:///opt/xephang/resources/app/static/setup.html'];
    expect(isLocalPage('file:///opt/xephang/resources/app/static/setup.html', pages)).toBe(true);
    expect(isLocalPage('file:///opt/xephang/resources/app/static/setup.html?x=1#y', pages)).toBe(true);
    expect(isLocalPage('file:///opt/xephang/resources/app/static/other.html', pages)).toBe(false);
    expect(isLocalPage('file:///etc/passwd', pages)).toBe(false);
    expect(isLocalPage('http://opt/xephang/resources/app/static/setup.html', pages)).toBe(false);
  });
});

describe('each window goes only where it belongs', () => {
  const pages = ['file:///opt/xephang/resources/app/static/setup.html'];
  it('the shell\'s own window to its pages, the screen to its hub, nowhere before setup', () => {
    expect(navigationAllowed(pages[0]!, { local: true, hubOrigin: HUB, localPages: pages })).toBe(true);
    expect(navigationAllowed(`${HUB}/kiosk`, { local: true, hubOrigin: HUB, localPages: pages })).toBe(false);
    expect(navigationAllowed(`${HUB}/kiosk`, { local: false, hubOrigin: HUB, localPages: pages })).toBe(true);
    expect(navigationAllowed(pages[0]!, { local: false, hubOrigin: HUB, localPages: pages })).toBe(false);
    expect(navigationAllowed(`${HUB}/kiosk`, { local: false, hubOrigin: undefined, localPages: pages })).toBe(false);
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'midi', 'hid', 'serial', 'usb', 'openExternal', 'clipboard-read', 'display-capture'])(
    'denies %s to every role',
    (permission) => {
      for (const role of ['kiosk', 'display', 'counter-display', 'counter'] as const) expect(permissionAllowed(role, permission, `${HUB}/kiosk`, HUB)).toBe(false);
    },
  );

  it('lets the displays go full screen and the clerk copy, from the hub only', () => {
    expect(permissionAllowed('display', 'fullscreen', `${HUB}/display`, HUB)).toBe(true);
    expect(permissionAllowed('counter-display', 'fullscreen', `${HUB}/display/counter/1`, HUB)).toBe(true);
    expect(permissionAllowed('kiosk', 'fullscreen', `${HUB}/kiosk`, HUB)).toBe(false);
    expect(permissionAllowed('counter', 'clipboard-sanitized-write', `${HUB}/counter/1`, HUB)).toBe(true);
    expect(permissionAllowed('display', 'fullscreen', 'https://example.com/', HUB)).toBe(false);
  });
});

describe('the content security policy added to hub pages', () => {
  it('allows the hub and its socket, and nothing else', () => {
    const csp = hubCsp(HUB);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' ws://192.168.1.10:8080");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|\*/);
    expect(hubCsp('https://hub.local')).toContain('wss://hub.local');
  });

  it("is added to the hub's responses only, over any policy they carry", () => {
    const headers = withHubCsp(`${HUB}/kiosk`, { 'content-type': ['text/html'], 'Content-Security-Policy': ["default-src *"] }, HUB);
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [hubCsp(HUB)] });
    expect(withHubCsp('https://example.com/', {}, HUB)).toBeUndefined();
    expect(withHubCsp('file:///opt/xephang/resources/app/static/setup.html', {}, HUB)).toBeUndefined();
    expect(withHubCsp(`${HUB}/kiosk`, {}, undefined)).toBeUndefined();
  });
});
