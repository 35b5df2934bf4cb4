import { describe, expect, it } from '@jest/globals';
import { ROLES } from './ids';
import { routeOf, SCREEN_PATHS, screenAddresses, screenPath, SCREENS } from './screens';

describe('the list of screens', () => {
  it('gives each screen its own id and address, and a socket role the hub knows', () => {
    expect(new Set(SCREENS.map((s) => s.id)).size).toBe(SCREENS.length);
    expect(new Set(SCREENS.map((s) => s.path)).size).toBe(SCREENS.length);
    for (const s of SCREENS) expect(ROLES).toContain(s.role);
  });

  it('names each screen in Vietnamese with its diacritics, English beside', () => {
    for (const s of SCREENS) {
      expect(s.nameVi).toMatch(/[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/);
      expect(s.nameEn).toMatch(/^[A-Za-z -]+$/);
    }
  });

  it('reads every address it makes back as the same screen', () => {
    for (const s of SCREENS) {
      const counterId = s.perCounter ? 7 : undefined;
      expect(routeOf(screenPath(s.id, counterId))).toEqual(s.perCounter ? { screen: s.id, counterId: 7 } : { screen: s.id });
    }
  });

  it('tells the hub which first segments are screens (the web app answers them)', () => {
    expect([...SCREEN_PATHS].sort()).toEqual(['/admin', '/counter', '/display', '/kiosk', '/rate']);
  });
});

describe('an address', () => {
  it.each([
    ['/', { screen: 'home' }],
    ['', { screen: 'home' }],
    ['/kiosk', { screen: 'kiosk' }],
    ['/kiosk/', { screen: 'kiosk' }],
    ['/display', { screen: 'display' }],
    ['/display/counter/3', { screen: 'counter-display', counterId: 3 }],
    ['/counter/9', { screen: 'counter', counterId: 9 }],
    ['/counter/99/', { screen: 'counter', counterId: 99 }],
    ['/rate/05', { screen: 'rate', counterId: 5 }],
    ['/admin', { screen: 'admin' }],
  ])('%j shows %j', (path, route) => {
    expect(routeOf(path)).toEqual(route);
  });

  it.each(['/counter', '/counter/100', '/counter//1', '/counter/1/2', '/counter/a', '/counter/-1', '/display/counter', '/display/1', '/kiosk/1', '/ADMIN', '/api/state', '/rate/1.5'])(
    '%j is no screen, and says which address was asked for',
    (path) => {
      expect(routeOf(path)).toEqual({ screen: 'not-found', path: path.replace(/\/+$/, '') });
    },
  );

  it('of a screen of one counter needs a counter from 1 to 99', () => {
    expect(screenPath('counter-display', 4)).toBe('/display/counter/4');
    expect(screenPath('kiosk')).toBe('/kiosk');
    for (const bad of [null, undefined, 0, 100, 2.5]) expect(() => screenPath('counter', bad)).toThrow(/cần số quầy từ 1 đến 99/);
  });
});

describe('the addresses a technician is shown', () => {
  it('list the center screens once and each counter\'s screens per counter, labelled', () => {
    const list = screenAddresses([1, 2]);
    expect(list.map((a) => a.path)).toEqual(['/kiosk', '/display', '/display/counter/1', '/display/counter/2', '/counter/1', '/counter/2', '/rate/1', '/rate/2', '/admin']);
    expect(list[0]).toEqual({ label: 'Ki-ốt lấy số (kiosk)', path: '/kiosk' });
    expect(list[5]).toEqual({ label: 'Máy tính quầy 2 (clerk)', path: '/counter/2' });
    for (const a of list) expect(routeOf(a.path).screen).not.toBe('not-found');
  });
});
