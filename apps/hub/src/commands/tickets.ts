import { openingTimeVi, QueueError, ticketNumber } from '@xephang/core';
import type { IssuedTicket, ParsedCommand, PriorityClass } from '@xephang/protocol';
import type { CitizenIds } from '../citizen-ids';
import type { Actor, Emit, Result, Run } from '../commit';
import type { Day } from '../day';
import type { Load } from '../load';
import type { Stores } from '../store';

export interface TicketDeps {
  stores: Pick<Stores, 'config' | 'tickets' | 'catalog'>;
  commit: { run: Run; emit: Emit };
  day: Pick<Day, 'dayAt'>;
  load: Pick<Load, 'openingOf' | 'estimate'>;
  /** The citizen ID rule of the field, checked and its mark kept in the same transaction (citizen-ids.ts). */
  citizenIds: Pick<CitizenIds, 'admit'>;
  utcOffsetMinutes?: number;
}

/** A ticket a clerk issues at the desk for a citizen without an ID card (`citizen:issueWithoutCard`). */
export interface WithoutCard {
  counterId: number;
  clerkId: number;
}

/** The kiosk's command: a numbered ticket, in one transaction (printing comes after, see issuing.ts). */
export function createTicketCommands(deps: TicketDeps) {
  const { config, tickets, catalog } = deps.stores;
  const { run, emit } = deps.commit;

  return {
    /**
     * Numbers a ticket of the asked field (and procedure) and stores it; a repeated request id gets
     * the stored reply. `withoutCard`: the clerk's override of a field that needs the ID card.
     */
    issue(cmd: ParsedCommand<'ticket:issue'>, actor: Actor, withoutCard?: WithoutCard): Result<IssuedTicket> {
      return run(withoutCard ? 'citizen:issueWithoutCard' : 'ticket:issue', cmd.requestId, (now) => {
        const service = config.service(cmd.serviceId);
        if (!service) throw new QueueError('not_found', `Không có lĩnh vực "${cmd.serviceId}".`);
        if (!service.active) {
          throw new QueueError('forbidden', `Lĩnh vực "${service.nameVi}" đang tạm ngừng cấp số. Xin mời chọn lĩnh vực khác hoặc hỏi cán bộ hướng dẫn.`);
        }
        const opening = deps.load.openingOf(now);
        if (opening.state === 'closed') {
          const back =
            opening.opensAt === null ? 'Hiện chưa có lịch làm việc, xin hỏi cán bộ.' : `Quầy mở lúc ${openingTimeVi(opening.opensAt, deps.utcOffsetMinutes)}, xin mời quay lại.`;
          throw new QueueError('center_closed', `Ngoài giờ cấp số: trung tâm chưa làm việc. ${back}`);
        }
        const procedure = cmd.procedureCode === undefined ? undefined : catalog.get(cmd.procedureCode);
        if (cmd.procedureCode !== undefined && !procedure) throw new QueueError('not_found', `Không có thủ tục mã "${cmd.procedureCode}" trong danh mục.`);
        if (procedure && procedure.serviceId !== service.id) {
          throw new QueueError('invalid_payload', `Thủ tục "${procedure.name}" không thuộc lĩnh vực "${service.nameVi}".`);
        }
        const day = deps.day.dayAt(now);
        const hold = deps.citizenIds.admit({ serviceId: service.id, day, citizenId: cmd.citizenId, withoutCard: withoutCard !== undefined });
        const number = ticketNumber(service.blockStart, tickets.nextOrdinal(service.id, day), service.nameVi);
        const id = `${day}-${number}`;
        const ticket = tickets.insert({ id, day, number, serviceId: service.id, priority: cmd.priority as PriorityClass, issuedAt: now, deviceId: actor.deviceId });
        if (procedure) catalog.setTicketProcedure(id, procedure.code);
        hold?.(id);
        // Neither the ID nor its mark reaches the broadcast or the visit log: only that a clerk overrode.
        emit(
          { type: 'ticket:issued', at: now, ticket },
          {
            type: 'ticket:issued',
            at: now,
            ticketId: id,
            serviceId: service.id,
            deviceId: actor.deviceId,
            ...(withoutCard ? { counterId: withoutCard.counterId, clerkId: withoutCard.clerkId } : {}),
            detail: { priority: cmd.priority, ...(procedure ? { procedure: procedure.code } : {}), ...(withoutCard ? { withoutCard: true } : {}) },
          },
        );
        const peopleAhead = tickets.ahead(ticket);
        return { ticket, peopleAhead, estimatedWaitMinutes: deps.load.estimate(service.id, peopleAhead, opening), ...(procedure ? { procedure } : {}) };
      }, actor);
    },
  };
}

export type TicketCommands = ReturnType<typeof createTicketCommands>;
