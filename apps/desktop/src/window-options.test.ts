import { describe, expect, it } from '@jest/globals';
import { keyAction, localWindowOptions, LOCKED_WEB_PREFERENCES, screenWindowOptions, type KeyInput } from './window-options';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, control: false, alt: false, shift: false, meta: false, ...mods });

describe('every window', () => {
  it('is sandboxed and isolated from its preload, without Node or webviews', () => {
    expect(LOCKED_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false });
  });
});

describe("the hub's screen window", () => {
  it.each([
    ['kiosk', true],
    ['display', true],
    ['counter-display', true],
    ['counter', false],
  ] as const)('for a %s is a kiosk window: %s, and full screen', (role, kiosk) => {
    expect(screenWindowOptions(role)).toMatchObject({ kiosk, fullscreen: true, show: false });
  });
});

describe("the shell's own windows", () => {
  it('give setup the whole screen of a machine set up as a kiosk or a display', () => {
    expect(localWindowOptions('setup', 'kiosk')).toMatchObject({ fullscreen: true, width: 1000, height: 760 });
    expect(localWindowOptions('setup', 'display')).toMatchObject({ fullscreen: true });
  });

  it('leave setup in a window on a first run and on a clerk\'s PC', () => {
    expect(localWindowOptions('setup', undefined)).toMatchObject({ fullscreen: false });
    expect(localWindowOptions('setup', 'counter')).toMatchObject({ fullscreen: false });
  });

  it('keep the PIN prompt small, whatever the role', () => {
    for (const role of ['kiosk', 'counter', undefined] as const) {
      const options = localWindowOptions('admin', role);
      expect(options).toMatchObject({ width: 480, height: 420 });
      expect(options).not.toHaveProperty('fullscreen');
    }
  });
});

describe('keys on the screen', () => {
  it('Ctrl+Alt+Shift+A asks for the PIN, on the key going down only', () => {
    expect(keyAction(key('A', { control: true, alt: true, shift: true }), true)).toBe('admin');
    expect(keyAction(key('a', { control: true, alt: true, shift: true, type: 'keyUp' }), true)).not.toBe('admin');
    expect(keyAction(key('a', { control: true, shift: true }), true)).toBe('allow');
  });

  it.each(['w', 'q', 'n', 't', 'W'])('Ctrl or Cmd + %s closes and opens nothing', (k) => {
    expect(keyAction(key(k, { control: true }), false)).toBe('block');
    expect(keyAction(key(k, { meta: true }), false)).toBe('block');
  });

  it('devtools keys work while developing only', () => {
    for (const input of [key('F12'), key('I', { control: true, shift: true })]) {
      expect(keyAction(input, true)).toBe('block');
      expect(keyAction(input, false)).toBe('allow');
    }
  });

  it('reload, zoom and typing stay', () => {
    for (const input of [key('r', { control: true }), key('F5'), key('+', { control: true }), key('0', { control: true }), key('5'), key('Enter')]) expect(keyAction(input, true)).toBe('allow');
  });
});
