import type { z } from 'zod';
import { DossierSettingsSchema, VisitListSchema, VisitSetDossierSchema, type DossierSettings, type VisitList } from '../dossier';
import type { TicketView } from '../views';

/**
 * A visit's dossier code after the fact, the day's visit list, and the dossier settings.
 * (`counter:finish` takes the code at the finish: counters.ts.)
 */
export interface VisitReplies {
  'visit:setDossier': TicketView;
  'visit:list': VisitList;
  'visit:setDossierSettings': DossierSettings;
}

export const VISIT_COMMANDS = {
  /** Counter (its own visits of today) or admin. */
  'visit:setDossier': VisitSetDossierSchema,
  /** Admin (any day); a counter: its own visits finished today, without their ratings. */
  'visit:list': VisitListSchema,
  /** Admin. */
  'visit:setDossierSettings': DossierSettingsSchema,
} as const satisfies { [C in keyof VisitReplies]: z.ZodType };
