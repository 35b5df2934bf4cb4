import type { Database } from 'better-sqlite3';
import type { DeviceView } from '@xephang/protocol';

interface DeviceRow {
  id: string;
  role: DeviceView['role'];
  counter_id: number | null;
  name: string;
  paired_at: number;
  last_seen_at: number | null;
  revoked_at: number | null;
}

export interface ClerkUpdate {
  id: number;
  name?: string | undefined;
  pinHash?: string | undefined;
  active?: boolean | undefined;
  counterIds?: readonly number[] | undefined;
}

export interface NewDevice {
  id: string;
  name: string;
  tokenHash: string;
}

/** Who may do what: clerks' PINs and sessions, paired devices, pairing codes. */
export function accessStore(db: Database) {
  const clerk = db.prepare<[number], { id: number; name: string; pin_hash: string; active: number }>(
    'SELECT id, name, pin_hash, active FROM clerks WHERE id = ?',
  );
  const clerkCounters = db.prepare<[number], { counter_id: number }>(
    'SELECT counter_id FROM clerk_counters WHERE clerk_id = ? ORDER BY counter_id',
  );
  const insertClerk = db.prepare<[string, string, number], { id: number }>(
    'INSERT INTO clerks (name, pin_hash, created_at) VALUES (?, ?, ?) RETURNING id',
  );
  const updateClerk = db.prepare(
    `UPDATE clerks SET name = coalesce(@name, name), pin_hash = coalesce(@pinHash, pin_hash),
     active = coalesce(@active, active) WHERE id = @id`,
  );
  const clearClerkCounters = db.prepare('DELETE FROM clerk_counters WHERE clerk_id = ?');
  const addClerkCounter = db.prepare('INSERT INTO clerk_counters (clerk_id, counter_id) VALUES (?, ?)');
  const counterExists = db.prepare<[number], { id: number }>('SELECT id FROM counters WHERE id = ?');

  const insertSession = db.prepare('INSERT INTO clerk_sessions (token_hash, clerk_id, counter_id, started_at, day) VALUES (?, ?, ?, ?, ?)');
  const session = db.prepare<[string], { clerk_id: number; counter_id: number }>(
    `SELECT s.clerk_id, s.counter_id FROM clerk_sessions s JOIN clerks k ON k.id = s.clerk_id
     WHERE s.token_hash = ? AND s.ended_at IS NULL AND k.active = 1`,
  );
  const openSessions = db.prepare<[], { token_hash: string; clerk_id: number; counter_id: number; started_at: number; day: string | null; last_active_at: number }>(
    `SELECT token_hash, clerk_id, counter_id, started_at, day, coalesce(last_active_at, started_at) AS last_active_at
     FROM clerk_sessions WHERE ended_at IS NULL`,
  );
  const touchSession = db.prepare('UPDATE clerk_sessions SET last_active_at = ? WHERE counter_id = ? AND clerk_id = ? AND ended_at IS NULL');
  const endSession = db.prepare('UPDATE clerk_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL');
  const endSessions = db.prepare('UPDATE clerk_sessions SET ended_at = ? WHERE counter_id = ? AND ended_at IS NULL');
  const endClerkSessions = db.prepare('UPDATE clerk_sessions SET ended_at = ? WHERE clerk_id = ? AND ended_at IS NULL');

  const insertDevice = db.prepare(
    'INSERT INTO devices (id, role, counter_id, name, token_hash, paired_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const deviceByToken = db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL');
  const deviceById = db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE id = ?');
  const allDevices = db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY paired_at');
  const revokeDevice = db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const seenDevice = db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?');
  const staleDevices = db.prepare<[number], DeviceRow>(
    'SELECT * FROM devices WHERE revoked_at IS NULL AND coalesce(last_seen_at, paired_at) < ? ORDER BY paired_at',
  );

  const insertCode = db.prepare(
    'INSERT INTO pairing_codes (code, role, counter_id, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING',
  );
  const useCode = db.prepare<[number, string, number], { role: DeviceView['role']; counter_id: number | null }>(
    'UPDATE pairing_codes SET used_at = ? WHERE code = ? AND used_at IS NULL AND expires_at > ? RETURNING role, counter_id',
  );
  const dropStaleCodes = db.prepare('DELETE FROM pairing_codes WHERE expires_at <= ? OR used_at IS NOT NULL');

  const createClerk = db.transaction((name: string, pinHash: string, counterIds: readonly number[], at: number) => {
    const { id } = insertClerk.get(name, pinHash, at)!;
    for (const c of new Set(counterIds)) addClerkCounter.run(id, c);
    return id;
  });
  const updateClerkTxn = db.transaction((u: ClerkUpdate) => {
    updateClerk.run({ id: u.id, name: u.name ?? null, pinHash: u.pinHash ?? null, active: u.active === undefined ? null : Number(u.active) });
    if (u.counterIds) {
      clearClerkCounters.run(u.id);
      for (const c of new Set(u.counterIds)) addClerkCounter.run(u.id, c);
    }
  });
  const pairDevice = db.transaction((code: string, now: number, device: NewDevice) => {
    const paired = useCode.get(now, code, now);
    if (!paired) return undefined;
    insertDevice.run(device.id, paired.role, paired.counter_id, device.name, device.tokenHash, now);
    return paired;
  });

  return {
    clerk: (id: number) => clerk.get(id),
    clerkCounters: (id: number) => clerkCounters.all(id).map((r) => r.counter_id),
    counterExists: (id: number) => counterExists.get(id) !== undefined,
    createClerk: (name: string, pinHash: string, counterIds: readonly number[], at: number): number =>
      createClerk.immediate(name, pinHash, counterIds, at),
    updateClerk: (u: ClerkUpdate): void => updateClerkTxn.immediate(u),

    /** A clerk's new session at a counter, on the queue's `day` (it ends when that day turns). */
    startSession: (tokenHash: string, clerkId: number, counterId: number, at: number, day: string) => {
      endSessions.run(at, counterId);
      insertSession.run(tokenHash, clerkId, counterId, at, day);
    },
    session: (tokenHash: string) => session.get(tokenHash),
    endSessions: (counterId: number, at: number) => void endSessions.run(at, counterId),
    /** Sessions not ended, with when each was last used (its start if never). */
    openSessions: () => openSessions.all(),
    /** Notes that a clerk used their session now (the idle time counts from here). */
    touchSession: (counterId: number, clerkId: number, at: number) => void touchSession.run(at, counterId, clerkId),
    endSession: (tokenHash: string, at: number) => void endSession.run(at, tokenHash),
    endClerkSessions: (clerkId: number, at: number) => void endClerkSessions.run(at, clerkId),

    deviceByToken: (tokenHash: string) => {
      const row = deviceByToken.get(tokenHash);
      return row && toDevice(row);
    },
    device: (id: string) => {
      const row = deviceById.get(id);
      return row && toDevice(row);
    },
    devices: () => allDevices.all().map(toDevice),
    revokeDevice: (id: string, at: number) => revokeDevice.run(at, id).changes > 0,
    seenDevice: (id: string, at: number) => void seenDevice.run(at, id),
    /** Devices in use not heard from since `before` (never connected: since their pairing). */
    staleDevices: (before: number) => staleDevices.all(before).map(toDevice),

    /** Stores a pairing code; false when a live code already has these digits. */
    addPairingCode: (code: string, role: DeviceView['role'], counterId: number | null, expiresAt: number, now: number): boolean => {
      dropStaleCodes.run(now);
      return insertCode.run(code, role, counterId, expiresAt).changes === 1;
    },
    /**
     * Redeems a pairing code for a new device in one transaction; undefined when the code is
     * unknown, used or expired.
     */
    pairDevice: (code: string, now: number, device: NewDevice) => pairDevice.immediate(code, now, device),
  };
}

export type AccessStore = ReturnType<typeof accessStore>;

function toDevice(row: DeviceRow): DeviceView {
  return {
    id: row.id,
    role: row.role,
    counterId: row.counter_id,
    name: row.name,
    pairedAt: row.paired_at,
    lastSeenAt: row.last_seen_at,
    revoked: row.revoked_at !== null,
  };
}
