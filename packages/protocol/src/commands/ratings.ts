import type { z } from 'zod';
import { RatingSubmitSchema, type PendingRating, type RatingReply } from '../admin';
import { RatingDetailSchema, RatingSetSettingsSchema, type RatingDetailReply, type RatingSettings } from '../rating';
import { Empty } from './common';

/** The tablet facing the citizen: the visit waiting for a rating, the score, then its reason and trips; the admin's wording. */
export interface RatingReplies {
  'rating:pending': PendingRating | null;
  'rating:submit': RatingReply;
  'rating:detail': RatingDetailReply;
  'rating:setSettings': RatingSettings;
}

export const RATING_COMMANDS = {
  'rating:pending': Empty,
  'rating:submit': RatingSubmitSchema,
  /** The tablet, once per rating, within its window. */
  'rating:detail': RatingDetailSchema,
  /** Admin (logged). */
  'rating:setSettings': RatingSetSettingsSchema,
} as const satisfies { [C in keyof RatingReplies]: z.ZodType };
