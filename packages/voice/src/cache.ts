import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DiskCache {
  get(key: string): Buffer | undefined;
  put(key: string, data: Buffer): void;
  /** Whether the key is on disk (the file is not read, nor its time touched). */
  has(key: string): boolean;
  /** Bytes the cache holds now. */
  bytes(): number;
}

/**
 * WAVs on disk by key (a hex hash), at most `maxBytes`: the least recently used go first.
 * A hit touches the file's time, which is what "recently used" reads.
 */
export function diskCache(dir: string, maxBytes: number): DiskCache {
  mkdirSync(dir, { recursive: true });
  const file = (key: string) => {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new Error(`bad cache key ${key}`);
    return join(dir, `${key}.wav`);
  };
  const entries = () =>
    readdirSync(dir)
      .filter((n) => n.endsWith('.wav'))
      .flatMap((n) => {
        try {
          const st = statSync(join(dir, n));
          return [{ name: n, size: st.size, at: st.mtimeMs }];
        } catch {
          return [];
        }
      });

  return {
    get(key) {
      try {
        const data = readFileSync(file(key));
        const now = new Date();
        utimesSync(file(key), now, now);
        return data;
      } catch {
        return undefined;
      }
    },
    put(key, data) {
      // Write then rename: a reader never sees half a file, even after a power cut.
      const tmp = `${file(key)}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, file(key));
      const all = entries().sort((a, b) => a.at - b.at);
      let total = all.reduce((n, e) => n + e.size, 0);
      for (const e of all) {
        if (total <= maxBytes) break;
        if (e.name === `${key}.wav`) continue;
        rmSync(join(dir, e.name), { force: true });
        total -= e.size;
      }
    },
    has: (key) => existsSync(file(key)),
    bytes: () => entries().reduce((n, e) => n + e.size, 0),
  };
}
