import { QueueError } from './errors';

/** How many numbers one service's block holds per day: 1001…1999 for the block starting at 1001. */
export const BLOCK_CAPACITY = 999;

/**
 * The number printed on the `ordinal`-th ticket (1-based) of a service's day.
 * @throws QueueError block_exhausted when the day's block is used up.
 */
export function ticketNumber(blockStart: number, ordinal: number, serviceName: string): number {
  if (!Number.isInteger(ordinal) || ordinal < 1) throw new RangeError(`ordinal must be a positive integer, got ${ordinal}`);
  if (ordinal > BLOCK_CAPACITY) {
    throw new QueueError(
      'block_exhausted',
      `Lĩnh vực "${serviceName}" đã phát hết ${BLOCK_CAPACITY} số của hôm nay. Hãy mở thêm lĩnh vực hoặc đổi dãy số trong trang quản trị.`,
    );
  }
  return blockStart + ordinal - 1;
}
