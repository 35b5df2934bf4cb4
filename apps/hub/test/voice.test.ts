import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { DEFAULT_CALL_TEMPLATE, DEFAULT_VOICE_SETTINGS } from '@xephang/protocol';
import { encodeWav, fillTemplate, textToWords, wavInfo } from '@xephang/voice';
import { disposeHub, startHubProcess, type HubProcess } from '@xephang/testing';

/**
 * Loaded into the hub with NODE_OPTIONS=--require (and so into its worker threads and the espeak-ng
 * engine process it starts, which inherits the environment): any outbound
 * connection or DNS lookup is refused and printed, so "produced with no network" is checked,
 * not assumed.
 */
const NO_NETWORK = `
const net = require('node:net');
const dns = require('node:dns');
const { isMainThread } = require('node:worker_threads');
const local = (h) => !h || h === 'localhost' || h === '::1' || /^127\\./.test(h) || h.startsWith('/');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const o = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
  const target = o.path ?? o.host;
  if (!local(target)) {
    process.stderr.write('NETWORK ATTEMPT ' + String(target) + '\\n');
    throw new Error('network disabled for this test: ' + String(target));
  }
  return connect.apply(this, args);
};
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  const original = dns[name];
  dns[name] = function (host, ...rest) {
    if (local(host)) return original.call(this, host, ...rest);
    process.stderr.write('NETWORK ATTEMPT dns ' + String(host) + '\\n');
    throw new Error('network disabled for this test: ' + String(host));
  };
}
const where = process.env.XEPHANG_VOICE_ENGINE ? 'voice engine' : isMainThread ? 'main' : 'worker';
process.stderr.write('no-network guard on (' + where + ')\\n');
`;

interface Fetched {
  status: number;
  headers: Headers;
  body: Buffer;
  ms: number;
}

let hub: HubProcess;
/** Seconds of the default 2005 → counter 3 call, to compare settings against. */
let defaultDuration = 0;
let first2005Etag: string | null = null;
let guardDir: string;

async function get(path: string, init: RequestInit = {}): Promise<Fetched> {
  const started = performance.now();
  const res = await fetch(`${hub.url}${path}`, init);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, ms: performance.now() - started };
}

const call = (q: string) => get(`/api/voice/call.wav?${q}`);

/** A word clip stand-in: a mono tone at 44.1 kHz with silence around it (the hub converts and trims it). */
function toneClip(hz: number, sec = 0.25): Buffer {
  const rate = 44_100;
  const pad = Math.round(0.08 * rate);
  const samples = new Float32Array(2 * pad + Math.round(sec * rate));
  for (let i = 0; i < samples.length - 2 * pad; i++) samples[pad + i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / rate);
  return encodeWav({ rate, samples });
}

function expectPcmWav(body: Buffer): number {
  expect(body.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(body.subarray(8, 12).toString('latin1')).toBe('WAVE');
  expect(body.readUInt32LE(4)).toBe(body.length - 8);
  const info = wavInfo(body);
  expect(info).toMatchObject({ format: 1, channels: 1, bits: 16, rate: 22_050 });
  expect(info.dataOffset + info.dataBytes).toBe(body.length);
  return info.durationSec;
}

beforeAll(async () => {
  guardDir = mkdtempSync(join(tmpdir(), 'xephang-guard-'));
  writeFileSync(join(guardDir, 'no-network.js'), NO_NETWORK);
  hub = await startHubProcess({ env: { NODE_OPTIONS: `--require ${join(guardDir, 'no-network.js')}` } });
});

afterAll(async () => {
  await disposeHub(hub);
  rmSync(guardDir, { recursive: true, force: true });
});

describe('GET /api/voice/call.wav', () => {
  let first: Fetched;

  it('returns a WAV of "Mời công dân có số thứ tự 2005 đến quầy số 3" with a plausible duration', async () => {
    first = await call('number=2005&counter=3');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('audio/wav');
    expect(Number(first.headers.get('content-length'))).toBe(first.body.length);
    expect(decodeURIComponent(first.headers.get('x-voice-text') ?? '')).toBe(
      'Mời công dân có số thứ tự hai nghìn không trăm linh năm đến quầy số ba',
    );
    expect(first.headers.get('x-voice-source')).toBe('espeak-wasm');
    const duration = expectPcmWav(first.body);
    expect(duration).toBeGreaterThan(1.5);
    expect(duration).toBeLessThan(15);
    defaultDuration = duration;
    first2005Etag = first.headers.get('etag');
    console.log(`first call: ${first.ms.toFixed(0)} ms over HTTP (hub ${first.headers.get('x-voice-ms')} ms), ${duration.toFixed(2)} s of audio`);
  });

  it('serves the second request from the cache, byte-identical', async () => {
    const again = await call('number=2005&counter=3');
    expect(again.status).toBe(200);
    expect(again.headers.get('x-voice-cached')).toBe('1');
    expect(again.body.equals(first.body)).toBe(true);
    // How fast is bench:voice's to say (no timed assertions in tests): on a loaded machine a file read took 38 ms.
    console.log(`cached call: ${again.ms.toFixed(1)} ms over HTTP (hub ${again.headers.get('x-voice-ms')} ms)`);
    // The TV revalidates with the ETag and gets a 304 without the body.
    const revalidated = await get('/api/voice/call.wav?number=2005&counter=3', { headers: { 'if-none-match': again.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    // Safari's <audio> asks for byte ranges.
    const range = await get('/api/voice/call.wav?number=2005&counter=3', { headers: { range: 'bytes=0-43' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 0-43/${first.body.length}`);
    expect(range.body.equals(first.body.subarray(0, 44))).toBe(true);
  });

  it('answers a TV fetching ahead (ahead=1) only with what it already has, and never renders for it', async () => {
    const files = () => readdirSync(join(hub.dataDir, 'voice', 'cache')).length;
    const before = files();
    const guess = await call('number=4321&counter=5&ahead=1');
    expect(guess.status).toBe(404);
    expect(JSON.parse(guess.body.toString())).toEqual({ ok: false, error: { code: 'not_found', message: expect.stringContaining('chưa tạo sẵn') } });
    expect(files()).toBe(before);
    const known = await call('number=2005&counter=3&ahead=1');
    expect(known.status).toBe(200);
    expect(known.headers.get('x-voice-cached')).toBe('1');
    expect(known.body.equals(first.body)).toBe(true);
    expect((await call('number=2005&counter=3&ahead=2')).status).toBe(400);
  });

  it('is longer for a longer number: "số 9999" against "số 1"', async () => {
    const one = await call('number=1&counter=1');
    const many = await call('number=9999&counter=1');
    const a = expectPcmWav(one.body);
    const b = expectPcmWav(many.body);
    expect(b - a).toBeGreaterThan(1);
    console.log(`durations: số 1 ${a.toFixed(2)} s, số 9999 ${b.toFixed(2)} s, số 2005 ${wavInfo(first.body).durationSec.toFixed(2)} s`);
  });

  it('renders a text once when several screens ask for it at the same time', async () => {
    const cacheDir = join(hub.dataDir, 'voice', 'cache');
    const before = readdirSync(cacheDir).length;
    const all = await Promise.all(Array.from({ length: 4 }, () => call('number=4321&counter=5')));
    for (const r of all) expect(r.status).toBe(200);
    expect(new Set(all.map((r) => r.body.toString('base64'))).size).toBe(1);
    // One render: the same timing was reported to all four, and one file was added.
    expect(new Set(all.map((r) => r.headers.get('x-voice-ms'))).size).toBe(1);
    expect(readdirSync(cacheDir).length).toBe(before + 1);
  });

  it('says a recall with the recall template, and accepts a known field', async () => {
    const recall = await call('number=2005&counter=3&recall=1');
    expect(recall.status).toBe(200);
    expect(decodeURIComponent(recall.headers.get('x-voice-text') ?? '')).toMatch(/^Xin nhắc lại: mời công dân có số thứ tự hai nghìn không trăm linh năm/);
    expect(expectPcmWav(recall.body)).toBeGreaterThan(wavInfo(first.body).durationSec);
    // The default template has no {service}: the field changes nothing, so it is the cached file.
    const withField = await call('number=2005&counter=3&service=civil&recall=0');
    expect(withField.status).toBe(200);
    expect(withField.body.equals(first.body)).toBe(true);
  });

  it.each([
    ['no number', 'counter=3', 'number'],
    ['letters', 'number=abc&counter=3', 'số thứ tự phải là số nguyên'],
    ['negative', 'number=-1&counter=3', 'số thứ tự'],
    ['too long', 'number=1234567&counter=3', 'số thứ tự'],
    ['counter 0', 'number=5&counter=0', 'số quầy phải là số nguyên từ 1 đến 99'],
    ['counter 100', 'number=5&counter=100', 'số quầy'],
    ['recall=2', 'number=5&counter=1&recall=2', 'recall: giá trị không hợp lệ, cần một trong: 0, 1'],
    ['unknown parameter', 'number=5&counter=1&voice=en', 'trường không được phép: voice'],
    ['bad field id', 'number=5&counter=1&service=Tư%20pháp', 'mã lĩnh vực'],
    ['unknown field', 'number=5&counter=1&service=nope', 'Không có lĩnh vực "nope"'],
  ])('refuses %s with 400 and a Vietnamese message', async (_, query, message) => {
    const res = await call(query);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(res.body.toString('utf8')) as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_payload');
    expect(body.error.message).toContain(message);
  });

  it('answers only GET', async () => {
    const res = await get('/api/voice/call.wav?number=1&counter=1', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body.toString()).error.message).toBe('Dùng GET cho /api/voice/call.wav.');
    expect((await get('/api/voice/nothing')).status).toBe(404);
  });
});

describe('voice settings', () => {
  it('serves the defaults, then what is stored in meta (merged with the defaults)', async () => {
    const defaults = JSON.parse((await get('/api/voice/settings')).body.toString());
    expect(defaults).toEqual({ ok: true, data: DEFAULT_VOICE_SETTINGS });

    const db = new Database(hub.dbFile);
    db.prepare("INSERT INTO meta (key, value) VALUES ('voice_settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      JSON.stringify({ speed: 220, recallRepeats: 3, volume: 0.8 }),
    );
    db.close();
    const stored = JSON.parse((await get('/api/voice/settings')).body.toString());
    expect(stored.data).toEqual({ ...DEFAULT_VOICE_SETTINGS, speed: 220, recallRepeats: 3, volume: 0.8 });

    // Faster speech: a different file (new ETag), shorter.
    const fast = await call('number=2005&counter=3');
    expect(fast.headers.get('x-voice-cached')).toBe('0');
    expect(fast.headers.get('etag')).not.toBe(first2005Etag);
    expect(expectPcmWav(fast.body)).toBeLessThan(defaultDuration - 0.5);
  });
});

describe('clip bank', () => {
  it('is used when it has a clip for every word, in any WAV format', async () => {
    const clips = join(hub.dataDir, 'voice', 'clips');
    mkdirSync(clips, { recursive: true });
    const text = fillTemplate(DEFAULT_CALL_TEMPLATE, { number: 2005, counter: 3 });
    const words = [...new Set(textToWords(text))];
    words.forEach((w, i) => writeFileSync(join(clips, `${w}.wav`), toneClip(330 + 30 * i)));
    await new Promise((r) => setTimeout(r, 2100)); // the clip folder is re-listed every 2 s

    const viaClips = await call('number=2005&counter=3');
    expect(viaClips.status).toBe(200);
    expect(viaClips.headers.get('x-voice-source')).toBe('clips');
    const duration = expectPcmWav(viaClips.body);
    // The chime (1.7 s), then 17 trimmed 0.25 s tones with short gaps.
    expect(duration).toBeGreaterThan(1.7 + 17 * 0.25);
    expect(duration).toBeLessThan(1.7 + 17 * 0.35 + 17 * 0.06 + 1);

    // A number whose words are not all recorded falls back to espeak-ng.
    const other = await call('number=7777&counter=3');
    expect(other.headers.get('x-voice-source')).toBe('espeak-wasm');
  });
});

describe('no network', () => {
  it('ran with outbound connections refused, and none was tried', () => {
    expect(hub.output()).toContain('no-network guard on (main)');
    expect(hub.output()).toContain('no-network guard on (voice engine)');
    expect(hub.output()).not.toContain('NETWORK ATTEMPT');
  });
});
