import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';

describe('@xephang/printer/connections', () => {
  it('loads no canvas and no encoder: the kiosk shell prints what the hub drew', () => {
    // A fresh process: this one's module cache already holds the canvas from other tests.
    const loaded = execFileSync(
      process.execPath,
      ['-e', "require('@xephang/printer/connections'); console.log(JSON.stringify(Object.keys(require.cache)))"],
      { encoding: 'utf8' },
    );
    const files = JSON.parse(loaded) as string[];
    expect(files.some((f) => f.includes('connections'))).toBe(true);
    expect(files.filter((f) => /napi-rs|receipt-printer-encoder|[/\\]layout\.js$|[/\\]render\.js$/.test(f))).toEqual([]);
  });
});
