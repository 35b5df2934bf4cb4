import type { IncomingMessage } from 'node:http';
import { Refused } from './refused';

/** The body, or Refused(too_large) as soon as it passes `max` (or says it will): the rest is never read. */
export function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(tooLarge(max));
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        fail(tooLarge(max));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.once('error', fail);
    // A client gone mid-body: settled, so the push's place among those read at once comes back.
    req.once('close', () => fail(new Refused('invalid_body', 'Kết nối bị ngắt trước khi gửi hết dữ liệu.')));
  });
}

const tooLarge = (max: number) => new Refused('too_large', `Nội dung gửi lên quá lớn (tối đa ${Math.floor(max / 1024)} KB); máy chủ xã cần chia nhỏ lần gửi.`);

/**
 * JSON from a body. A string holding U+0000 is refused here: PostgreSQL's text and jsonb cannot
 * hold it, and it would otherwise fail the transaction as an internal error instead of saying so.
 * @throws Refused (invalid_body)
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (typeof value === 'string' && value.includes('\u0000')) throw new Refused('invalid_body', 'Dữ liệu gửi lên có ký tự NUL (\\u0000), không lưu được.');
      return value;
    });
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw new Refused('invalid_body', 'Nội dung gửi lên không phải JSON hợp lệ.');
  }
}
