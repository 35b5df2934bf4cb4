import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { DAY_MS, decodedBytes, decodeTally, emptyTally, encodeTally, TALLY_LIMITS, TALLY_VERSION, zeroField, type DayTally } from './tally';

/** A day with a bit of everything: two fields, a transfer, waits and visits by counter and clerk, pauses, ratings. */
function busyDay(): DayTally {
  const t = emptyTally();
  t.fields.set('civil', { ...zeroField(), issued: 12, served: 9, received: 5, guidance: 3, other: 1, noShow: 2, startedAtCall: 4, withDossier: 4 });
  t.fields.set('land', { ...zeroField(), issued: 3, transferredIn: 1, served: 2, returned: 2, expired: 1 });
  t.issuedByHour[8] = 10;
  t.issuedByHour[14] = 5;
  t.served = 11;
  t.serviceTimes = [
    { serviceId: 'civil', counterId: 2, clerkId: 7, ms: Float64Array.from([61_000, 245_500, 90_250, 1_200_000]) },
    { serviceId: 'civil', counterId: 3, clerkId: null, ms: Float64Array.from([30_000, 45_000, 52_000, 75_000, 600_000]) },
    { serviceId: 'land', counterId: 1, clerkId: 4, ms: Float64Array.from([900_000, 1_500_000]) },
  ];
  t.waits = [
    { serviceId: 'civil', counterId: 2, clerkId: null, ms: Float64Array.from([120_000, 5_000, 3_600_000]) },
    { serviceId: 'land', counterId: null, clerkId: null, ms: Float64Array.from([42_000]) },
  ];
  t.counters.set(2, { firstCallAt: 1_752_112_800_000, lastFinishAt: 1_752_141_600_000, served: 4, pausedMs: 900_000 });
  t.counters.set(3, { firstCallAt: 1_752_113_000_000, lastFinishAt: null, served: 5, pausedMs: 0 });
  t.clerks.set(7, { firstCallAt: 1_752_112_800_000, lastFinishAt: 1_752_141_600_000, served: 4, pausedMs: 900_000 });
  t.pauses = [{ counterId: 2, clerkId: 7, reason: 'Họp giao ban', count: 1, ms: 900_000 }];
  t.ratings = [{ serviceId: 'civil', counterId: 2, clerkId: 7, counts: [0, 1, 2, 3] }];
  t.ratingsV5 = [{ serviceId: 'civil', counterId: 2, clerkId: 7, counts: [1, 0, 2, 3, 4], trips: [6, 2, 1], reasons: [['Chờ lâu', 2], ['Hướng dẫn chưa rõ', 1]] }];
  t.dossiers = [{ serviceId: 'civil', counterId: 2, clerkId: 7, count: 4 }];
  return t;
}

/** `n` bytes that look random but are the same at every run (SHA-256 in counter mode), so a failure comes back. */
function noise(seed: string, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let at = 0, block = 0; at < n; at += 32, block++) createHash('sha256').update(`${seed}/${block}`).digest().copy(out, at);
  return out;
}

/**
 * The encoded JSON part of a tally, changed by `edit`, with its durations after it as before.
 * The text `"INFINITY"` becomes `1e999`, which JSON.parse reads as Infinity (JSON.stringify cannot write it).
 */
function withJson(blob: Buffer, edit: (packed: Record<string, unknown>) => void): Buffer {
  const length = blob.readUInt32LE(0);
  const packed = JSON.parse(blob.toString('utf8', 4, 4 + length)) as Record<string, unknown>;
  edit(packed);
  const json = Buffer.from(JSON.stringify(packed).replace('"INFINITY"', '1e999'));
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const out = Buffer.alloc(start + blob.length - Math.ceil((4 + length) / 8) * 8);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  blob.copy(out, start, Math.ceil((4 + length) / 8) * 8);
  return out;
}

describe('a day tally as bytes', () => {
  it('comes back as it was, from a Buffer or from any Uint8Array view', () => {
    const blob = encodeTally(busyDay());
    expect(decodeTally(blob)).toEqual(busyDay());
    // Not aligned on 8 bytes, inside a bigger buffer: what a base64 decode or a driver may hand over.
    const inside = new Uint8Array(blob.length + 3);
    inside.set(blob, 3);
    expect(decodeTally(inside.subarray(3))).toEqual(busyDay());
    expect(decodeTally(encodeTally(emptyTally()))).toEqual(emptyTally());
  });

  it('is refused in another format version', () => {
    const blob = encodeTally(busyDay());
    expect(decodeTally(blob, TALLY_VERSION)).toBeDefined();
    expect(decodeTally(blob, TALLY_VERSION + 1)).toBeUndefined();
    expect(decodeTally(blob, TALLY_VERSION - 1)).toBeUndefined();
  });

  it('reads a version 2 tally (a hub not yet upgraded): its four-level ratings stay four-level, no five-level ones, no dossier counts', () => {
    // Version 2's layout: ten counts a field, no r5 nor d lists.
    const v2 = withJson(encodeTally(busyDay()), (p) => {
      p.f = (p.f as unknown[][]).map((row) => row.slice(0, 11));
      delete p.r5;
      delete p.d;
    });
    const t = decodeTally(v2, 2)!;
    expect(t).toEqual({
      ...busyDay(),
      fields: new Map([...busyDay().fields].map(([id, f]) => [id, { ...f, withDossier: 0 }])),
      ratingsV5: [],
      dossiers: [],
    });
    expect(t.ratings).toEqual([{ serviceId: 'civil', counterId: 2, clerkId: 7, counts: [0, 1, 2, 3] }]);
    // Read as the current version it is not one; nor is a version 3 tally read as version 2.
    expect(decodeTally(v2)).toBeUndefined();
    expect(decodeTally(encodeTally(busyDay()), 2)).toBeUndefined();
  });

  it('is undefined when a five-level rating or a dossier count is malformed or out of bounds', () => {
    const blob = encodeTally(busyDay());
    const bad = (edit: (row: unknown[], p: Record<string, unknown>) => void, list: 'r5' | 'd' = 'r5') =>
      decodeTally(withJson(blob, (p) => edit((p[list] as unknown[][])[0]!, p)));
    expect(bad(() => {})).toEqual(busyDay());
    expect(bad((r) => (r[3] = -1))).toBeUndefined();
    expect(bad((r) => (r[10] = 1.5))).toBeUndefined();
    expect(bad((r) => r.pop())).toBeUndefined();
    expect(bad((r) => (r[11] = [['', 1]]))).toBeUndefined();
    expect(bad((r) => (r[11] = [['x'.repeat(81), 1]]))).toBeUndefined();
    expect(bad((r) => (r[11] = Array.from({ length: TALLY_LIMITS.reasons + 1 }, (_, i) => [`Lý do ${i}`, 1])))).toBeUndefined();
    expect(bad((r) => (r[11] = 'Chờ lâu'))).toBeUndefined();
    expect(bad((_r, p) => delete p.r5)).toBeUndefined();
    expect(bad((r) => (r[3] = 'INFINITY'), 'd')).toBeUndefined();
    expect(bad((r) => (r[1] = 'quầy 2'), 'd')).toBeUndefined();
  });

  it('is undefined when its rows do not agree: more trips than ratings, reasons past the ratings of 1–3 or twice, dossiers past the visits', () => {
    const blob = encodeTally(busyDay());
    const edited = (edit: (p: { f: unknown[][]; r5: unknown[][]; d: unknown[][] }) => void) => decodeTally(withJson(blob, (p) => edit(p as never)));
    // busyDay's group: counts [1, 0, 2, 3, 4] (10 ratings, 3 of levels 1–3), trips [6, 2, 1], reasons 2 + 1; civil served 9, 4 with a dossier code.
    const edits: [string, (p: { f: unknown[][]; r5: unknown[][]; d: unknown[][] }) => void][] = [
      ['11 trips for 10 ratings', (p) => (p.r5[0]![8] = 8)],
      ['4 reasons for 3 ratings of levels 1–3', (p) => (p.r5[0]![11] = [['Chờ lâu', 3], ['Hướng dẫn chưa rõ', 1]])],
      ['a reason given with a score of 4', (p) => ((p.r5[0]![5] = 1), (p.r5[0]![6] = 5))],
      ['the same reason twice in a group', (p) => (p.r5[0]![11] = [['Chờ lâu', 1], ['Chờ lâu', 1]])],
      ['withDossier above served', (p) => ((p.f[0]![11] = 10), ((p.d[0]![3] as number) = 10))],
      ['withDossier not the sum of its groups', (p) => (p.f[0]![11] = 3)],
      ['a dossier group of a field with none', (p) => p.d.push(['land', 1, 4, 1])],
      ['a dossier group of a field not listed', (p) => p.d.push(['tax', 1, 4, 1])],
    ];
    for (const [what, edit] of edits) expect([what, edited(edit)]).toEqual([what, undefined]);
    // The bounds themselves are what a real day may give: a trip answered by every rating,
    // a reason with every rating of levels 1–3, every visit with a code, split over two groups.
    const edge = busyDay();
    edge.ratingsV5[0]!.trips = [7, 2, 1];
    edge.ratingsV5[0]!.reasons = [['Chờ lâu', 2], ['Hướng dẫn chưa rõ', 1]];
    edge.fields.get('civil')!.withDossier = 9;
    edge.dossiers = [
      { serviceId: 'civil', counterId: 2, clerkId: 7, count: 5 },
      { serviceId: 'civil', counterId: 3, clerkId: null, count: 4 },
    ];
    expect(decodeTally(encodeTally(edge))).toEqual(edge);
  });

  it('is undefined cut at every length, and with any byte added after it', () => {
    for (const t of [busyDay(), emptyTally()]) {
      const blob = encodeTally(t);
      for (let n = 0; n < blob.length; n++) expect(decodeTally(blob.subarray(0, n))).toBeUndefined();
      for (const extra of [1, 7, 8, 16]) expect(decodeTally(Buffer.concat([blob, Buffer.alloc(extra)]))).toBeUndefined();
    }
  });

  it('is undefined when its length field points past the bytes, or at a JSON that is not a tally', () => {
    const blob = encodeTally(busyDay());
    for (const length of [0xffffffff, blob.length, blob.length - 3]) {
      const bad = Buffer.from(blob);
      bad.writeUInt32LE(length, 0);
      expect(decodeTally(bad)).toBeUndefined();
    }
    const plain = (json: string) => {
      const body = Buffer.from(json);
      const out = Buffer.alloc(Math.ceil((4 + body.length) / 8) * 8);
      out.writeUInt32LE(body.length, 0);
      body.copy(out, 4);
      return out;
    };
    for (const json of ['null', '0', '"tally"', '[]', '{}', '{"f":[],"h":[],"s":0,"st":[],"w":[],"c":[],"k":[],"p":[],"r":[]}', '{"f":']) {
      expect(decodeTally(plain(json))).toBeUndefined();
    }
    expect(decodeTally(plain(encodeTally(emptyTally()).toString('utf8', 4, 4 + encodeTally(emptyTally()).readUInt32LE(0))))).toEqual(emptyTally());
  });

  it('is undefined when a column has the wrong type, or the rows count more or fewer durations than it holds', () => {
    const blob = encodeTally(busyDay());
    const edits: [string, (p: Record<string, unknown>) => void][] = [
      ['a count as text', (p) => ((p.f as unknown[][])[0]![1] = '12')],
      ['a field without its id', (p) => ((p.f as unknown[][])[0]![0] = null)],
      ['an hour missing', (p) => (p.h as unknown[]).pop()],
      ['served as text', (p) => (p.s = '11')],
      ['a duration count that is no count', (p) => ((p.st as unknown[][])[0]![3] = -1)],
      ['a duration count too large', (p) => ((p.st as unknown[][])[0]![3] = 2 ** 40)],
      ['a duration count not whole', (p) => ((p.w as unknown[][])[0]![2] = 2.5)],
      ['one duration more than held', (p) => ((p.w as unknown[][])[1]![2] = 2)],
      ['one duration fewer than held', (p) => ((p.st as unknown[][])[2]![3] = 1)],
      ['a counter id as text', (p) => ((p.c as unknown[][])[0]![0] = '2')],
      ['a pause reason as a number', (p) => ((p.p as unknown[][])[0]![2] = 5)],
      ['a rating with three scores', (p) => (p.r as unknown[][])[0]!.pop()],
      ['rows as an object', (p) => (p.k = { length: 1 })],
      ['a count past what a float holds', (p) => ((p.c as unknown[][])[0]![3] = 'INFINITY')],
    ];
    for (const [what, edit] of edits) expect([what, decodeTally(withJson(blob, edit))]).toEqual([what, undefined]);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const t = busyDay();
      t.waits[1]!.ms[0] = bad;
      expect(decodeTally(encodeTally(t))).toBeUndefined();
    }
    // The helper itself keeps a tally whole when nothing is changed.
    expect(decodeTally(withJson(blob, () => undefined))).toEqual(busyDay());
  });

  it('never throws on random bytes, nor on a real tally with random bytes changed', () => {
    const blob = encodeTally(busyDay());
    for (let i = 0; i < 3000; i++) {
      const [size, length] = [noise(`size ${i}`, 4).readUInt16LE(0) % 600, noise(`length ${i}`, 4).readUInt32LE(0)];
      const bytes = noise(`bytes ${i}`, size);
      // Half with a length field that fits what follows, so the JSON parser and the checks see the bytes too.
      if (size >= 4 && i % 2 === 0) bytes.writeUInt32LE(length % (size - 3), 0);
      expect(decodeTally(bytes)).toBeUndefined();
    }
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(blob);
      const changes = noise(`changes ${i}`, 12);
      for (let k = 0; k <= changes[0]! % 4; k++) bytes[changes.readUInt16LE(2 + 2 * k) % bytes.length] = changes[10 - k]!;
      // Either nothing or a whole tally (a duration or a digit of a count changed) that goes round again; never an exception.
      const t = decodeTally(bytes);
      if (t !== undefined) expect(decodeTally(encodeTally(t))).toEqual(t);
    }
  });

  it('is undefined when a count, a time or a duration is out of its bounds (a commune may be hostile)', () => {
    const blob = encodeTally(busyDay());
    const edits: [string, (p: Record<string, unknown>) => void][] = [
      ['a negative count', (p) => ((p.f as unknown[][])[1]![10] = -5)],
      ['a count not whole', (p) => ((p.f as unknown[][])[0]![1] = 12.5)],
      ['a count of 1e308 (two add up to Infinity)', (p) => ((p.f as unknown[][])[0]![1] = 1e308)],
      ['a count past the limit', (p) => ((p.f as unknown[][])[0]![1] = TALLY_LIMITS.count + 1)],
      ['an hour negative', (p) => ((p.h as number[])[8] = -1)],
      ['served past the limit', (p) => (p.s = 1e12)],
      ['a counter served negative', (p) => ((p.c as unknown[][])[0]![3] = -4)],
      ['a first call before 1970', (p) => ((p.c as unknown[][])[0]![1] = -1)],
      ['a last finish after 2100', (p) => ((p.k as unknown[][])[0]![2] = Date.UTC(2100, 0, 2))],
      ['a first call of 1e308', (p) => ((p.k as unknown[][])[0]![1] = 1e308)],
      ['a paused time negative', (p) => ((p.c as unknown[][])[0]![4] = -1)],
      ['a paused time over 31 days', (p) => ((p.k as unknown[][])[0]![4] = 31 * DAY_MS + 1)],
      ['a pause negative', (p) => ((p.p as unknown[][])[0]![4] = -900_000)],
      ['a pause over 31 days', (p) => ((p.p as unknown[][])[0]![4] = 1e308)],
      ['a pause count negative', (p) => ((p.p as unknown[][])[0]![3] = -1)],
      ['a score count negative', (p) => ((p.r as unknown[][])[0]![4] = -1)],
      ['a score count of 1e308', (p) => ((p.r as unknown[][])[0]![6] = 1e308)],
      ['a counter id not whole', (p) => ((p.c as unknown[][])[0]![0] = 2.5)],
      ['a clerk id of 1e308', (p) => ((p.st as unknown[][])[0]![2] = 1e308)],
    ];
    for (const [what, edit] of edits) expect([what, decodeTally(withJson(blob, edit))]).toEqual([what, undefined]);
    for (const bad of [TALLY_LIMITS.durationMs + 1, -TALLY_LIMITS.durationMs - 1, 1e308, -1e308]) {
      const t = busyDay();
      t.serviceTimes[1]!.ms[2] = bad;
      expect([bad, decodeTally(encodeTally(t))]).toEqual([bad, undefined]);
    }
    // What a real hub may write is kept: the bounds themselves, a wait of days, a visit made
    // negative by a clock put back, a clock read as 1970, a pause of a whole day.
    const edge = busyDay();
    edge.fields.get('civil')!.issued = TALLY_LIMITS.count;
    edge.waits[0]!.ms[2] = 3 * DAY_MS;
    edge.serviceTimes[0]!.ms[1] = -600_000;
    edge.serviceTimes[0]!.ms[2] = TALLY_LIMITS.durationMs;
    edge.counters.get(3)!.firstCallAt = 0;
    edge.clerks.get(7)!.lastFinishAt = TALLY_LIMITS.maxTime;
    edge.counters.get(2)!.pausedMs = DAY_MS;
    edge.pauses[0]!.ms = TALLY_LIMITS.pauseMs;
    expect(decodeTally(encodeTally(edge))).toEqual(edge);
  });

  it('is undefined with more rows than a center has, or more bytes than a day holds', () => {
    const up = () => ({ firstCallAt: null, lastFinishAt: null, served: 0, pausedMs: 0 });
    const sizes: [string, number, (t: DayTally, i: number) => void][] = [
      ['fields', TALLY_LIMITS.fields, (t, i) => t.fields.set(`f${i}`, zeroField())],
      ['counters', TALLY_LIMITS.counters, (t, i) => t.counters.set(i, up())],
      ['clerks', TALLY_LIMITS.clerks, (t, i) => t.clerks.set(i, up())],
      ['visit groups', TALLY_LIMITS.groups, (t, i) => t.serviceTimes.push({ serviceId: 'f', counterId: i, clerkId: null, ms: new Float64Array(0) })],
      ['wait groups', TALLY_LIMITS.groups, (t, i) => t.waits.push({ serviceId: 'f', counterId: i, clerkId: null, ms: new Float64Array(0) })],
      ['pause groups', TALLY_LIMITS.groups, (t, i) => t.pauses.push({ counterId: i, clerkId: null, reason: '', count: 1, ms: 0 })],
      ['rating groups', TALLY_LIMITS.groups, (t, i) => t.ratings.push({ serviceId: 'f', counterId: i, clerkId: null, counts: [0, 0, 0, 1] })],
      // The groups' limit is of all four lists together.
      ['groups of every kind', TALLY_LIMITS.groups, (t, i) => (i % 2 ? t.pauses.push({ counterId: i, clerkId: null, reason: '', count: 1, ms: 0 }) : t.waits.push({ serviceId: 'f', counterId: i, clerkId: null, ms: new Float64Array(0) }))],
    ];
    for (const [what, max, add] of sizes) {
      const t = emptyTally();
      for (let i = 0; i < max; i++) add(t, i);
      expect([what, decodeTally(encodeTally(t)) !== undefined]).toEqual([what, true]);
      add(t, max);
      expect([what, decodeTally(encodeTally(t))]).toEqual([what, undefined]);
    }
    // Durations up to the byte limit, then one more.
    // (Measured with a count of as many digits as the one tried: the count is in the JSON part.)
    const header = encodeTally(Object.assign(emptyTally(), { waits: [{ serviceId: 'f', counterId: 1, clerkId: null, ms: new Float64Array(100_000) }] })).length - 800_000;
    const most = Math.floor((TALLY_LIMITS.blobBytes - header) / 8);
    const full = emptyTally();
    full.waits = [{ serviceId: 'f', counterId: 1, clerkId: null, ms: new Float64Array(most).fill(60_000) }];
    expect(encodeTally(full).length).toBeLessThanOrEqual(TALLY_LIMITS.blobBytes);
    expect(decodeTally(encodeTally(full))).toBeDefined();
    full.waits[0]!.ms = new Float64Array(most + 1).fill(60_000);
    expect(encodeTally(full).length).toBeGreaterThan(TALLY_LIMITS.blobBytes);
    expect(decodeTally(encodeTally(full))).toBeUndefined();
  });

  // What a decoded tally holds was measured with the heap (see decodedBytes); a test cannot
  // measure a heap steadily, so it checks the shape of the estimate: rows weigh far more than
  // the durations' bytes, which count once.
  it('counts a tally of many rows as much more memory than one of durations the same size', () => {
    const durations = emptyTally();
    durations.waits = [{ serviceId: 'f', counterId: 1, clerkId: null, ms: new Float64Array(20_000).fill(60_000) }];
    const rows = emptyTally();
    for (let i = 0; rows.pauses.length < TALLY_LIMITS.groups && encodeTally(rows).length < encodeTally(durations).length; i++) {
      rows.pauses.push({ counterId: (i % 9) + 1, clerkId: null, reason: '', count: 1, ms: 1 });
    }
    const [d, r] = [encodeTally(durations), encodeTally(rows)];
    expect(decodedBytes(d)).toBeLessThan(1.1 * d.length);
    expect(decodedBytes(r)).toBeGreaterThan(10 * r.length);
  });
});
