import type { z } from 'zod';
import { fail, type Ack } from './ack';

/**
 * Validates `input` against `schema`; on failure the error names every failing path, in
 * Vietnamese, so the person reading the message knows what to fix.
 */
export function parsePayload<S extends z.ZodType>(schema: S, input: unknown): Ack<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.length ? issue.path.join('.') : '(toàn bộ)';
    fields[path] ??= describeIssue(issue);
  }
  const list = Object.entries(fields)
    .map(([path, problem]) => `${path}: ${problem}`)
    .join('; ');
  return fail('invalid_payload', `Dữ liệu gửi lên không hợp lệ (${list}). Không có gì bị thay đổi.`, fields);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `cần kiểu ${issue.expected}`;
    case 'unrecognized_keys':
      return `trường không được phép: ${issue.keys.join(', ')}`;
    case 'too_big':
      return `quá lớn (tối đa ${String(issue.maximum)})`;
    case 'too_small':
      return `quá nhỏ (tối thiểu ${String(issue.minimum)})`;
    case 'invalid_value':
      return `giá trị không hợp lệ, cần một trong: ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}
