import type { Database } from 'better-sqlite3';
import { compareNamesVi, minutesOf } from '@xephang/core';
import {
  DEFAULT_KIOSK_TEXTS,
  DEFAULT_PRIORITY_RULE,
  OpeningHoursSchema,
  PriorityRuleSchema,
  type ClerkSummary,
  type CounterView,
  type KioskTexts,
  type OpeningHours,
  type PriorityRule,
  type ServiceView,
} from '@xephang/protocol';
import { DEFAULT_CENTER_NAME, DEFAULT_COUNTERS, DEFAULT_HOURS, DEFAULT_SERVICES } from '../default-center';

interface ServiceRow {
  id: string;
  name_vi: string;
  name_en: string;
  kind: 'commune' | 'partner';
  block_start: number;
  active: number;
  sort_order: number;
  official_code: string | null;
}

interface CounterRow {
  id: number;
  name: string;
  status: CounterView['status'];
  pause_reason: string | null;
  clerk_id: number | null;
  clerk_name: string | null;
  ticket_id: string | null;
  served_today: number;
  normals_since_priority: number;
}

export interface CounterState extends CounterView {
  normalsSincePriority: number;
}

/**
 * Stores the admin password's hash and when it was set, in one immediate transaction. Apart from
 * configStore because the command line's reset writes it on a database it does not migrate
 * (the hub may be running on it); so `meta` is written by the stores alone, not by secrets.ts.
 */
export function storeAdminPasswordHash(db: Database, hash: string, at: number): void {
  const set = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    set.run('admin_password_hash', hash);
    set.run('admin_password_set_at', String(at));
  }).immediate();
}

/** Services, counters, clerks' public side and the hub's settings. */
export function configStore(db: Database) {
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const allServices = db.prepare<[], ServiceRow>('SELECT * FROM services ORDER BY sort_order, id');
  const oneService = db.prepare<[string], ServiceRow>('SELECT * FROM services WHERE id = ?');
  const counterSelect = `
    SELECT c.id, c.name, c.status, c.pause_reason, c.clerk_id, k.name AS clerk_name, c.normals_since_priority,
      (SELECT t.id FROM tickets t WHERE t.counter_id = c.id AND t.state IN ('called', 'serving')) AS ticket_id,
      (SELECT count(*) FROM tickets t WHERE t.clerk_id = c.clerk_id AND t.state = 'done'
        AND t.day = (SELECT value FROM meta WHERE key = 'day')) AS served_today
    FROM counters c LEFT JOIN clerks k ON k.id = c.clerk_id`;
  const allCounters = db.prepare<[], CounterRow>(`${counterSelect} ORDER BY c.id`);
  const counterStatuses = db.prepare<[], { id: number; status: CounterView['status'] }>('SELECT id, status FROM counters');
  const oneCounter = db.prepare<[number], CounterRow>(`${counterSelect} WHERE c.id = ?`);
  const counterServices = db.prepare<[], { counter_id: number; service_id: string }>(
    'SELECT counter_id, service_id FROM counter_services ORDER BY counter_id, position',
  );
  const clerkSummaries = db.prepare<[], { id: number; name: string; counters: string | null }>(
    `SELECT k.id, k.name, group_concat(cc.counter_id) AS counters
     FROM clerks k LEFT JOIN clerk_counters cc ON cc.clerk_id = k.id
     WHERE k.active = 1 GROUP BY k.id`,
  );
  const insertService = db.prepare(
    'INSERT INTO services (id, name_vi, name_en, kind, block_start, active, sort_order) VALUES (?, ?, ?, ?, ?, 1, ?)',
  );
  const insertCounter = db.prepare('INSERT INTO counters (id, name) VALUES (?, ?)');
  const insertCounterService = db.prepare('INSERT INTO counter_services (counter_id, service_id, position) VALUES (?, ?, ?)');
  const clearCounterServices = db.prepare('DELETE FROM counter_services WHERE counter_id = ?');
  const setStatus = db.prepare('UPDATE counters SET status = ?, pause_reason = ? WHERE id = ?');
  const setClerk = db.prepare('UPDATE counters SET clerk_id = ? WHERE id = ?');
  const setRouting = db.prepare('UPDATE counters SET normals_since_priority = ? WHERE id = ?');

  // Counters' service lists change only through the admin; read once and on change.
  let serviceOrder: Map<number, string[]> | undefined;
  const servicesOf = (counterId: number): string[] => {
    if (!serviceOrder) {
      serviceOrder = new Map();
      for (const row of counterServices.all()) {
        const list = serviceOrder.get(row.counter_id) ?? [];
        list.push(row.service_id);
        serviceOrder.set(row.counter_id, list);
      }
    }
    return serviceOrder.get(counterId) ?? [];
  };

  const toCounter = (row: CounterRow): CounterState => ({
    id: row.id,
    name: row.name,
    serviceIds: servicesOf(row.id),
    status: row.status,
    pauseReason: row.pause_reason,
    clerkId: row.clerk_id,
    clerkName: row.clerk_name,
    ticketId: row.ticket_id,
    servedToday: row.served_today,
    normalsSincePriority: row.normals_since_priority,
  });

  const meta = (key: string): string | undefined => getMeta.get(key)?.value;

  // Every command asks for the day, so the reset time with it: read once and on change.
  let hours: { stored: OpeningHours; resetMinutes: number } | undefined;
  const readHours = () => {
    if (!hours) {
      const stored = parseHours(meta('opening_hours'));
      hours = { stored, resetMinutes: minutesOf(stored.resetTime) };
    }
    return hours;
  };

  // Every call asks for the priority rule (twice); it changes only through setPriorityRule.
  let rule: PriorityRule | undefined;
  // Every broadcast carries the load, which reads the fields and the open counters: read once
  // and on change (fields change through the admin store, which says so: see store/index.ts).
  let serviceList: ServiceView[] | undefined;
  let openByService: Map<string, number> | undefined;

  /** The kiosk's headings as the admin set them, or the defaults. */
  const kioskTexts = (): KioskTexts => {
    let stored: Partial<Record<'kioskTitleVi' | 'kioskTitleEn' | 'kioskNote', unknown>> = {};
    try {
      stored = JSON.parse(meta('kiosk_texts') ?? '{}') as typeof stored;
    } catch {
      // A hand-edited value that is not JSON: the defaults stand.
    }
    const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
    return {
      titleVi: text(stored.kioskTitleVi, DEFAULT_KIOSK_TEXTS.titleVi),
      titleEn: text(stored.kioskTitleEn, DEFAULT_KIOSK_TEXTS.titleEn),
      note: text(stored.kioskNote, ''),
    };
  };
  const seed = db.transaction((hubId: string): boolean => {
    if (meta('hub_id')) return false;
    setMeta.run('hub_id', hubId);
    setMeta.run('center_name', DEFAULT_CENTER_NAME);
    setMeta.run('notice', 'Kính mời công dân lấy số thứ tự và chờ đến lượt. Xin cảm ơn!');
    DEFAULT_SERVICES.forEach((s, i) => insertService.run(s.id, s.nameVi, s.nameEn, s.kind, s.blockStart, i + 1));
    for (const c of DEFAULT_COUNTERS) {
      insertCounter.run(c.id, `Quầy ${c.id}`);
      c.serviceIds.forEach((serviceId, i) => insertCounterService.run(c.id, serviceId, i));
    }
    serviceOrder = undefined;
    serviceList = undefined;
    openByService = undefined;
    return true;
  });

  return {
    meta,
    kioskTexts,
    setMeta: (key: string, value: string) => void setMeta.run(key, value),

    /** The week's opening hours and the reset time as the admin set them, or the defaults. */
    openingHours: (): OpeningHours => readHours().stored,
    /** When the service day turns, in minutes after local midnight (see `serviceDay`). */
    resetMinutes: (): number => readHours().resetMinutes,
    /** Stores the opening hours; call inside a queue transaction. */
    setOpeningHours: (value: OpeningHours) => {
      setMeta.run('opening_hours', JSON.stringify(value));
      hours = undefined;
    },

    /** How counters order priority and normal tickets, as the admin set it, or the default. */
    priorityRule: (): PriorityRule => (rule ??= parseRule(meta('priority_rule'))),
    /** Stores the priority rule; call inside a queue transaction. */
    setPriorityRule: (value: PriorityRule) => {
      setMeta.run('priority_rule', JSON.stringify(value));
      rule = undefined;
    },

    /** Writes the default center when the database is new. Returns whether it did. */
    seedDefaults: (hubId: string): boolean => seed.immediate(hubId),

    services: (): ServiceView[] => [...(serviceList ??= allServices.all().map(toService))],
    service: (id: string): ServiceView | undefined => {
      const row = oneService.get(id);
      return row && toService(row);
    },
    counters: (): CounterState[] => allCounters.all().map(toCounter),
    counter: (id: number): CounterState | undefined => {
      const row = oneCounter.get(id);
      return row && toCounter(row);
    },
    servicesOf,
    /**
     * How many open counters serve each field: what the load needs of the counters, without
     * the clerk, ticket and day's count `counters()` joins for every one of them.
     */
    openCountersByService: (): ReadonlyMap<string, number> => {
      if (!openByService) {
        openByService = new Map();
        for (const c of counterStatuses.all()) {
          if (c.status !== 'open') continue;
          for (const serviceId of servicesOf(c.id)) openByService.set(serviceId, (openByService.get(serviceId) ?? 0) + 1);
        }
      }
      return openByService;
    },
    /** Drops what was read into memory; the next read goes to the database. */
    forgetCache: () => {
      serviceOrder = undefined;
      hours = undefined;
      rule = undefined;
      serviceList = undefined;
      openByService = undefined;
    },
    /** Replaces a counter's services, in order; call inside a queue transaction. */
    setCounterServices: (counterId: number, serviceIds: readonly string[]) => {
      clearCounterServices.run(counterId);
      serviceIds.forEach((serviceId, i) => insertCounterService.run(counterId, serviceId, i));
      serviceOrder = undefined;
      openByService = undefined;
    },
    setCounterStatus: (id: number, status: CounterView['status'], reason: string | null = null) => {
      setStatus.run(status, reason, id);
      openByService = undefined;
    },
    setCounterClerk: (id: number, clerkId: number | null) => void setClerk.run(clerkId, id),
    setCounterRouting: (id: number, normalsSincePriority: number) => void setRouting.run(normalsSincePriority, id),
    /** Active clerks in Vietnamese name order (SQL's ORDER BY name would put Đ after Z): the counter's login list. */
    clerks: (): ClerkSummary[] =>
      clerkSummaries
        .all()
        .sort((a, b) => compareNamesVi(a.name, b.name) || a.id - b.id)
        .map((r) => ({
          id: r.id,
          name: r.name,
          counterIds: r.counters ? r.counters.split(',').map(Number).sort((a, b) => a - b) : [],
        })),
  };
}

export type ConfigStore = ReturnType<typeof configStore>;

/** The public view of a counter (without the routing state only the hub needs). */
export function counterView(c: CounterState): CounterView {
  const { normalsSincePriority: _routing, ...view } = c;
  return view;
}

/** The stored opening hours; a missing or hand-broken value gives the defaults. */
function parseHours(text: string | undefined): OpeningHours {
  if (text === undefined) return DEFAULT_HOURS;
  try {
    const parsed = OpeningHoursSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : DEFAULT_HOURS;
  } catch {
    return DEFAULT_HOURS;
  }
}

/**
 * The stored priority rule; a missing or hand-broken value gives the default. (A database
 * from before the rule could be chosen holds `priority_every`, which is no longer read: such
 * a center gets priority first, as its citizens expect.)
 */
function parseRule(text: string | undefined): PriorityRule {
  if (text === undefined) return DEFAULT_PRIORITY_RULE;
  try {
    const parsed = PriorityRuleSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : DEFAULT_PRIORITY_RULE;
  } catch {
    return DEFAULT_PRIORITY_RULE;
  }
}

function toService(row: ServiceRow): ServiceView {
  return {
    id: row.id,
    nameVi: row.name_vi,
    nameEn: row.name_en,
    kind: row.kind,
    blockStart: row.block_start,
    active: row.active === 1,
    sortOrder: row.sort_order,
    officialCode: row.official_code,
  };
}
