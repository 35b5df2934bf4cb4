/** Runs jobs one after another: a printer takes one connection and one ticket at a time. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Runs `job` once every job queued before it has settled; resolves or rejects with it. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(job, job);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once every job queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
