import {
  DOSSIER_OUTCOME_REFUSAL,
  dossierCodeRefusal,
  dossierPatternRefusal,
  QueueError,
  scannerPrefixRefusal,
  takesDossierCode,
} from '@xephang/core';
import { DEFAULT_DOSSIER_SETTINGS, DossierSettingsSchema, type DossierSettings, type ParsedCommand, type TicketView, type VisitList } from '@xephang/protocol';
import type { Actor, Result, Run } from '../commit';
import type { Day } from '../day';
import type { Stores } from '../store';
import type { Changes } from './changes';

const META_KEY = 'dossier_settings';
/** A counter's own list: one page holds its day (a counter serves some tens of visits a day). */
const COUNTER_PAGE = 200;

/** The center's dossier settings as stored (the default until the admin saves some). */
export function dossierSettings(config: Pick<Stores['config'], 'meta'>): DossierSettings {
  const raw = config.meta(META_KEY);
  if (raw === undefined) return DEFAULT_DOSSIER_SETTINGS;
  try {
    const parsed = DossierSettingsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_DOSSIER_SETTINGS;
  } catch {
    return DEFAULT_DOSSIER_SETTINGS;
  }
}

/**
 * The refusal of a code on a finish or a later change: the outcome must be one that takes a code,
 * and the code must match the center's pattern. Shared by `counter:finish` and `visit:setDossier`.
 * @throws QueueError (invalid_payload) with a message naming what is allowed.
 */
export function checkDossierCode(code: string, outcome: TicketView['outcome'], config: Pick<Stores['config'], 'meta'>): void {
  if (!takesDossierCode(outcome)) throw new QueueError('invalid_payload', DOSSIER_OUTCOME_REFUSAL);
  const refusal = dossierCodeRefusal(code, dossierSettings(config));
  if (refusal) throw new QueueError('invalid_payload', refusal);
}

export interface VisitDeps {
  stores: Pick<Stores, 'config' | 'tickets' | 'visits' | 'visitLog'>;
  commit: { run: Run };
  day: Pick<Day, 'dayAt'>;
  changes: Pick<Changes, 'adminChange'>;
  now: () => number;
}

/** A visit's dossier code after the fact, the day's visit list, and the dossier settings (issue 20). */
export function createVisitCommands(deps: VisitDeps) {
  const { config, tickets, visits, visitLog } = deps.stores;
  const { run } = deps.commit;

  /** A counter's own counter, with its clerk logged in (the counter's commands ask the same). */
  function clerkCounterOf(actor: Actor) {
    const counter = actor.counterId === null ? undefined : config.counter(actor.counterId);
    if (!counter || actor.clerkId === null || counter.clerkId !== actor.clerkId) {
      throw new QueueError('not_logged_in', 'Bạn chưa đăng nhập ở quầy này. Hãy đăng nhập bằng mã PIN.');
    }
    return counter;
  }

  return {
    /**
     * Adds, changes or (null) removes the dossier code of a visit finished today: a counter only
     * for a visit finished at itself, by the clerk logged in there; the admin for any.
     * @throws QueueError for another counter's visit, a visit not finished, of another day, or
     * of an outcome that takes no code, and for a code the pattern refuses.
     */
    setDossier(cmd: ParsedCommand<'visit:setDossier'>, actor: Actor, by: string | null): Result<TicketView> {
      return run('visit:setDossier', cmd.requestId, (now) => {
        const ticket = tickets.get(cmd.ticketId);
        const stored = ticket && visits.dossierOf(ticket.id);
        if (!ticket || !stored) throw new QueueError('not_found', 'Không tìm thấy lượt khách này.');
        if (actor.role === 'counter') {
          const counter = clerkCounterOf(actor);
          if (ticket.counterId !== counter.id) {
            throw new QueueError('forbidden', `Số ${ticket.number} không kết thúc ở ${counter.name}: chỉ quầy đã phục vụ (hoặc quản trị) mới ghi được mã hồ sơ của lượt này.`);
          }
        }
        if (ticket.state !== 'done') throw new QueueError('illegal_transition', `Số ${ticket.number} chưa kết thúc: mã hồ sơ ghi khi kết thúc lượt.`);
        if (ticket.day !== deps.day.dayAt(now)) {
          throw new QueueError('forbidden', `Số ${ticket.number} là lượt của ngày ${ticket.day}: chỉ ghi hoặc sửa mã hồ sơ của lượt trong ngày hôm nay.`);
        }
        if (cmd.code !== null) checkDossierCode(cmd.code, ticket.outcome, config);
        else if (!takesDossierCode(ticket.outcome)) throw new QueueError('invalid_payload', DOSSIER_OUTCOME_REFUSAL);
        const updated = tickets.update(ticket, { dossier_code: cmd.code });
        // No screen shows the code, so nothing is broadcast; the log keeps who changed it and from what.
        visitLog.note({
          type: 'ticket:dossier',
          at: now,
          ticketId: ticket.id,
          serviceId: ticket.serviceId,
          counterId: ticket.counterId,
          clerkId: actor.role === 'counter' ? actor.clerkId : null,
          deviceId: actor.deviceId,
          detail: { dossierCode: cmd.code, before: stored.dossier_code, ...(by === null ? {} : { by }) },
        });
        return updated;
      }, actor);
    },

    /**
     * One page of a day's visits (admin), or a counter's own visits finished today, without
     * their ratings: a clerk is not shown how each citizen rated them.
     */
    list(cmd: ParsedCommand<'visit:list'>, actor: Actor): VisitList {
      if (actor.role === 'counter') {
        const counterId = clerkCounterOf(actor).id;
        const day = deps.day.dayAt(deps.now());
        const limit = cmd.limit ?? COUNTER_PAGE;
        // Without an offset, the newest page: the counter lists the visits last finished first, and
        // past 200 in a day its oldest were shown instead of the one just finished.
        const offset = cmd.offset ?? Math.max(0, visits.count({ day, q: cmd.q, counterId }) - limit);
        const found = visits.list({ day, q: cmd.q, counterId, limit, offset });
        return { day, total: found.total, rows: found.rows.map((r) => ({ ...r, rating: null })) };
      }
      const found = visits.list({ day: cmd.day, q: cmd.q, limit: cmd.limit ?? 50, offset: cmd.offset ?? 0 });
      return { day: cmd.day, ...found };
    },

    settings: (): DossierSettings => dossierSettings(config),

    /**
     * Stores the pattern and the scanner's prefix; logged like the other admin changes and sent
     * to every screen (the counters read them from config:updated).
     * @throws QueueError for a pattern that does not compile, accepts the empty code, or nests quantifiers, and for a prefix a clerk types.
     */
    setSettings(cmd: ParsedCommand<'visit:setDossierSettings'>, by: string): Result<DossierSettings> {
      const refusal = dossierPatternRefusal(cmd.pattern) ?? scannerPrefixRefusal(cmd.scannerPrefix);
      if (refusal) throw new QueueError('invalid_payload', refusal);
      const before = dossierSettings(config);
      const what =
        `Mã hồ sơ: mẫu ${cmd.pattern}${before.pattern === cmd.pattern ? '' : ` (trước: ${before.pattern})`}; ` +
        `tiền tố máy quét ${cmd.scannerPrefix === '' ? '(không có)' : `"${cmd.scannerPrefix}"`}`;
      return deps.changes.adminChange('admin:dossier', { by, what }, () => {
        config.setMeta(META_KEY, JSON.stringify({ pattern: cmd.pattern, scannerPrefix: cmd.scannerPrefix }));
        return dossierSettings(config);
      });
    },
  };
}

export type VisitCommands = ReturnType<typeof createVisitCommands>;
