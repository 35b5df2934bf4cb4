import { z } from 'zod';
import { CommuneCodeSchema, type ProvinceLinkView } from '../province';
import { Empty } from './common';

/**
 * The admin's side of the province link (issue 18): enrol this hub with the province's server,
 * see how the link is doing, stop it. The sending itself is the hub's own business, in the
 * background; no command waits for the province.
 */

/** An http(s) URL without credentials in it (a token never goes in an address). */
const HttpUrl = z
  .string()
  .trim()
  .max(500)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'Địa chỉ phải là http:// hoặc https://, không chứa tên hay mật khẩu.');

export const ProvinceEnrolSchema = z.strictObject({
  /** The province server's base URL. */
  url: HttpUrl,
  communeCode: CommuneCodeSchema,
  /** The one-time enrolment key from the province admin. */
  key: z.string().trim().min(8).max(200),
  /** An HTTP(S) proxy to reach the province through, or null. */
  proxy: HttpUrl.nullable().default(null),
});

export interface ProvinceReplies {
  'province:status': ProvinceLinkView;
  /** Enrolled (the province answered with a token): the link's view, the first push under way. */
  'province:enrol': ProvinceLinkView;
  /** Not linked any more: the token and the outbox are dropped (the province keeps what it has). */
  'province:unlink': ProvinceLinkView;
  /** Try now instead of waiting for the back-off (after the admin fixed the network). */
  'province:pushNow': ProvinceLinkView;
}

export const PROVINCE_COMMANDS = {
  'province:status': Empty,
  'province:enrol': ProvinceEnrolSchema,
  'province:unlink': Empty,
  'province:pushNow': Empty,
} as const satisfies { [C in keyof ProvinceReplies]: z.ZodType };
