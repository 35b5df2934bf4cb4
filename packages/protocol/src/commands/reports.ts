import type { z } from 'zod';
import { ReportGetSchema, type Report } from '../reports';

/** The weekly figures by field, counter and clerk. */
export interface ReportReplies {
  'report:get': Report;
}

export const REPORT_COMMANDS = {
  'report:get': ReportGetSchema,
} as const satisfies { [C in keyof ReportReplies]: z.ZodType };
