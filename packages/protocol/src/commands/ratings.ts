import type { z } from 'zod';
import { RatingSubmitSchema, type PendingRating, type RatingReply } from '../admin';
import { Empty } from './common';

/** The tablet facing the citizen: the visit waiting for a rating, and the rating. */
export interface RatingReplies {
  'rating:pending': PendingRating | null;
  'rating:submit': RatingReply;
}

export const RATING_COMMANDS = {
  'rating:pending': Empty,
  'rating:submit': RatingSubmitSchema,
} as const satisfies { [C in keyof RatingReplies]: z.ZodType };
