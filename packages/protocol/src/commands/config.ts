import type { z } from 'zod';
import {
  AuditQuerySchema,
  CenterTextsSchema,
  CounterServicesSchema,
  OpeningHoursSchema,
  PriorityRuleSchema,
  ServiceOrderSchema,
  ServiceSaveSchema,
  type AdminConfig,
  type AuditEntry,
  type CenterTexts,
  type OpeningHours,
  type PriorityRule,
} from '../admin';
import type { CounterView, ServiceView } from '../views';
import { VoiceSettingsSchema, type VoiceSettings } from '../voice';
import { Empty } from './common';

/** Admin: the center's settings (fields, counters, texts, hours, priority, voice) and their log. */
export interface ConfigReplies {
  'config:get': AdminConfig;
  'config:saveService': ServiceView;
  'config:orderServices': ServiceView[];
  'config:counterServices': CounterView;
  'config:setTexts': CenterTexts;
  'config:setHours': OpeningHours;
  'config:setPriorityRule': PriorityRule;
  'config:log': AuditEntry[];
  'voice:set': VoiceSettings;
}

export const CONFIG_COMMANDS = {
  'config:get': Empty,
  'config:saveService': ServiceSaveSchema,
  'config:orderServices': ServiceOrderSchema,
  'config:counterServices': CounterServicesSchema,
  'config:setTexts': CenterTextsSchema,
  'config:setHours': OpeningHoursSchema,
  /** Admin: how the counters order priority and normal tickets. */
  'config:setPriorityRule': PriorityRuleSchema,
  'config:log': AuditQuerySchema,
  /** Admin: how calls sound (templates, volume, repeats, voice); the whole settings, edited. */
  'voice:set': VoiceSettingsSchema,
} as const satisfies { [C in keyof ConfigReplies]: z.ZodType };
