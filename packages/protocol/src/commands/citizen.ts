import type { z } from 'zod';
import { CitizenIdRuleSaveSchema, IssueWithoutCardSchema, type CitizenIdRules } from '../citizen-id';
import type { IssuedTicket } from './tickets';

/** The citizen's ID card at the kiosk (issue 20): the clerk's override at the desk, and the admin's rule per field. */
export interface CitizenReplies {
  'citizen:issueWithoutCard': IssuedTicket;
  'citizen:setRule': CitizenIdRules;
}

export const CITIZEN_COMMANDS = {
  /** Counter (a clerk logged in): a ticket of a `required` field for a citizen without a card, printed where the kiosks' tickets print. */
  'citizen:issueWithoutCard': IssueWithoutCardSchema,
  /** Admin: one field's rule; the reply is every field's rule that is not off. */
  'citizen:setRule': CitizenIdRuleSaveSchema,
} as const satisfies { [C in keyof CitizenReplies]: z.ZodType };
