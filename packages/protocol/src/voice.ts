import { z } from 'zod';
import { ServiceIdSchema } from './ids';

/** espeak-ng's Vietnamese voices: `vi` reads the Northern way, like our number words. */
export const VOICE_VARIANTS = ['vi', 'vi-vn-x-central', 'vi-vn-x-south'] as const;
export const VoiceVariantSchema = z.enum(VOICE_VARIANTS);
export type VoiceVariant = z.infer<typeof VoiceVariantSchema>;

export const DEFAULT_CALL_TEMPLATE = 'Mời công dân có số thứ tự {number} đến quầy số {counter}';
export const DEFAULT_RECALL_TEMPLATE = 'Xin nhắc lại: mời công dân có số thứ tự {number} đến quầy số {counter}';

const TemplateSchema = z
  .string()
  .min(1)
  .max(300)
  .refine((t) => t.includes('{number}'), 'mẫu câu phải có {number} (số thứ tự)');

/**
 * How calls sound, stored by the hub (meta `voice_settings`) and read by the TV.
 * Missing fields take their defaults, so older stored settings stay valid.
 */
export const VoiceSettingsSchema = z.strictObject({
  /** Speak the announcement; when false the TV still plays the chime. */
  speech: z.boolean().default(true),
  /** Play the chime before the speech. */
  chime: z.boolean().default(true),
  voice: VoiceVariantSchema.default('vi'),
  /** espeak-ng words per minute; a hall needs slower than its default 175. */
  speed: z.number().int().min(80).max(260).default(140),
  /** espeak-ng pitch, 0–99. */
  pitch: z.number().int().min(0).max(99).default(50),
  /** Gain applied by the hub to the rendered speech, in dB (the result is limited, never clipped). */
  gainDb: z.number().min(-20).max(12).default(0),
  /** Playback volume on the TV, 0–1. */
  volume: z.number().min(0).max(1).default(1),
  /** How many times the TV plays a call and a recall. */
  callRepeats: z.number().int().min(1).max(3).default(1),
  recallRepeats: z.number().int().min(1).max(5).default(2),
  /** Placeholders: {number}, {counter}, {service} (the field's Vietnamese name). */
  callTemplate: TemplateSchema.default(DEFAULT_CALL_TEMPLATE),
  recallTemplate: TemplateSchema.default(DEFAULT_RECALL_TEMPLATE),
  /** `auto` uses the clip bank when it has every word, else espeak-ng. */
  source: z.enum(['auto', 'clips', 'espeak']).default('auto'),
});
export type VoiceSettings = z.infer<typeof VoiceSettingsSchema>;

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = VoiceSettingsSchema.parse({});

/** The query of `GET /api/voice/call.wav`: all strings, as they come in a URL. */
export const VoiceCallQuerySchema = z.strictObject({
  number: z
    .string()
    .regex(/^\d{1,6}$/, 'số thứ tự phải là số nguyên từ 0 đến 999999')
    .transform(Number),
  counter: z
    .string()
    .regex(/^[1-9]\d?$/, 'số quầy phải là số nguyên từ 1 đến 99')
    .transform(Number),
  service: ServiceIdSchema.optional(),
  recall: z.enum(['0', '1']).optional().transform((v) => v === '1'),
  /**
   * `1`: the TV fetching a likely next call ahead of time: answered only when the hub already has
   * it (404 otherwise), so a guess never makes the hub synthesize outside its idle budget.
   */
  ahead: z.enum(['0', '1']).optional().transform((v) => v === '1'),
});
export type VoiceCallQuery = z.output<typeof VoiceCallQuerySchema>;
