import { QueueError } from '@xephang/core';
import type { HubEvent, IssuedTicket, ParsedCommand, ReprintReply } from '@xephang/protocol';
import { actorKey, reusedId, type Actor, type Commit, type Result } from '../commit';
import type { Printing } from '../printing';
import type { TicketCommands, WithoutCard } from './tickets';

export interface IssuingDeps {
  tickets: Pick<TicketCommands, 'issue'>;
  commit: Pick<Commit, 'answered' | 'completeReply'>;
  printing: Pick<Printing, 'check' | 'printIssued' | 'kioskJob' | 'outcomeOf' | 'reprint'>;
  /** Whether a kiosk may take one more ticket now (rate-limit.ts). */
  kioskMayIssue: (key: string) => boolean;
  /** Sends committed events to every screen (the transport). */
  broadcast: (events: readonly HubEvent[]) => void;
  now: () => number;
  log: (line: string) => void;
}

/**
 * A kiosk's ticket from tap to paper: its rate limit, the printer's status before a number is
 * allocated, the number (one commit), the broadcast, then the print, in that order; a twin of
 * a request still printing shares its result.
 */
export function createIssuing(deps: IssuingDeps) {
  /** Issues waiting for their printer, by request id, with the actor who asked. */
  const issuing = new Map<string, { by: string; result: Promise<Result<IssuedTicket>> }>();
  const limitLoggedAt = new Map<string, number>();

  /** Refuses a kiosk over its limit; the first refusal of a minute is logged, a flood is not. */
  function kioskLimited(actor: Actor, who: string): QueueError {
    const key = kioskKey(actor);
    const at = deps.now();
    const last = limitLoggedAt.get(key);
    if (last === undefined || at - last >= 60_000 || at < last) {
      limitLoggedAt.set(key, at);
      deps.log(`ki-ốt vượt giới hạn lấy số: ${who}`);
    }
    return new QueueError('rate_limited', 'Ki-ốt đang nhận quá nhiều yêu cầu. Xin vui lòng chờ vài giây rồi bấm lại.');
  }

  /** Status question, number (one transaction), broadcast, print: in that order. */
  async function issueAndPrint(cmd: ParsedCommand<'ticket:issue'>, actor: Actor, who: string, withoutCard?: WithoutCard): Promise<Result<IssuedTicket>> {
    if (cmd.printHere && actor.role !== 'kiosk') {
      throw new QueueError('forbidden', 'Chỉ ki-ốt có máy in riêng mới in phiếu tại chỗ (printHere); máy quản trị lấy số in ra máy in mặc định.');
    }
    const retry = deps.commit.answered(cmd.requestId, actor);
    // A repeat with `printHere` draws the job again (the bytes are not kept): it costs what a new
    // ticket costs, so it counts like one; a lost ack's one retry is well inside the burst.
    if (actor.role === 'kiosk' && (!retry || cmd.printHere) && !deps.kioskMayIssue(kioskKey(actor))) throw kioskLimited(actor, who);
    // No number is allocated while the kiosk's printer is out of paper, open or offline (a kiosk
    // with `printHere` asked its own printer before sending).
    if (!retry) await deps.printing.check(actor.deviceId, cmd.printHere);
    // The transaction says whether it was a replay: a twin on another socket that committed
    // while this one waited for the printer is one, and prints nothing.
    const result = deps.tickets.issue(cmd, actor, withoutCard);
    if (result.replayed) {
      // The stored reply says how the print went once it was known; before that (still
      // printing on a twin, or the hub stopped mid-print) the printer is asked what it knows.
      if (result.reply.printed !== undefined) return { reply: result.reply, events: [] };
      // A kiosk that prints itself lost the reply: the same content, drawn again (the stored reply holds no bytes).
      if (cmd.printHere) return { reply: { ...result.reply, kioskJob: await deps.printing.kioskJob(result.reply, cmd.printHere, actor) }, events: [] };
      return { reply: { ...result.reply, ...(await deps.printing.outcomeOf(result.reply.ticket.id)) }, events: [] };
    }
    // Commit first, then broadcast and print.
    deps.broadcast(result.events);
    const printed = await deps.printing.printIssued(result.reply, actor, cmd.printHere);
    const reply: IssuedTicket = { ...result.reply, ...printed };
    // A kiosk's job (70 KB) is never stored: 2,000 tickets a day would fill the database with
    // bytes nobody reads again. A repeat draws it again; `printed` stays unset, the kiosk knows.
    if (!('kioskJob' in printed)) deps.commit.completeReply(cmd.requestId, reply);
    return { reply, events: [] };
  }

  /** A twin of a request still waiting for its printer shares its result: no second rate-limit token, status question or print. */
  function once(cmd: ParsedCommand<'ticket:issue'>, actor: Actor, who: string, withoutCard?: WithoutCard): Promise<Result<IssuedTicket>> {
    const by = actorKey(actor);
    const running = issuing.get(cmd.requestId);
    if (running && running.by !== by) throw reusedId(cmd.requestId);
    if (running) return running.result.then((r) => ({ reply: r.reply, events: [] }));
    const result = issueAndPrint(cmd, actor, who, withoutCard).finally(() => issuing.delete(cmd.requestId));
    issuing.set(cmd.requestId, { by, result });
    return result;
  }

  return {
    /** `ticket:issue` from a kiosk or the admin; `who` names the socket for the technician's log. */
    issue: (cmd: ParsedCommand<'ticket:issue'>, actor: Actor, who: string): Promise<Result<IssuedTicket>> => once(cmd, actor, who),

    /**
     * `citizen:issueWithoutCard`: a clerk issues a ticket of a field that needs the ID card for a
     * citizen without one; printed on the printer the hub prints the kiosks' tickets on.
     */
    issueWithoutCard(cmd: ParsedCommand<'citizen:issueWithoutCard'>, actor: Actor, who: string, clerk: WithoutCard): Promise<Result<IssuedTicket>> {
      return once({ requestId: cmd.requestId, serviceId: cmd.serviceId, priority: cmd.priority }, actor, who, clerk);
    },

    /** `ticket:reprint`: counted against a kiosk's limit like a new ticket. */
    async reprint(cmd: ParsedCommand<'ticket:reprint'>, actor: Actor, who: string): Promise<Result<ReprintReply>> {
      if (actor.role === 'kiosk' && !deps.kioskMayIssue(kioskKey(actor))) throw kioskLimited(actor, who);
      return { reply: await deps.printing.reprint(cmd, actor), events: [] };
    },
  };
}

export type Issuing = ReturnType<typeof createIssuing>;

/**
 * Whose tickets a kiosk's limit counts: a paired kiosk's device, or, for the unpaired kiosks
 * the hub PC may run, one bucket for them all. An address is no key: one machine can use all of
 * 127.0.0.0/8 (20 addresses once took 200 tickets in 0.4 s), and kiosks behind one router share one.
 */
function kioskKey(actor: Actor): string {
  return actor.deviceId ? `device:${actor.deviceId}` : 'unpaired';
}
