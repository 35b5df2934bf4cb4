import type { ErrorCode } from '@xephang/protocol';

/** A refusal the queue rules give; `message` is Vietnamese and says what to do instead. */
export class QueueError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueueError';
  }
}
