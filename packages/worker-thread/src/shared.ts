// One instance per process of something a process shares (a WorkerThreadQueue), started on first
// use, stopped on demand or when the last server holding it lets go.

/** What {@link Shared} keeps: anything that can be closed. */
export interface Closable {
  close(): Promise<void>;
}

/** A process's shared instance of T, made by `create` on first use and again after a close. */
export class Shared<T extends Closable> {
  private current: T | undefined;
  private holders = 0;

  constructor(private readonly create: () => T) {}

  /** The instance, made now if there is none. */
  get(): T {
    this.current ??= this.create();
    return this.current;
  }

  /** Closes the instance, if any; a later {@link get} makes a new one. */
  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.close();
  }

  /**
   * Marks the instance as used (by a server) until the returned function is called; it is
   * closed when its last holder lets go (several servers may share a process, as in tests).
   * Letting go twice counts once. Using the instance needs no hold.
   */
  hold(): () => Promise<void> {
    this.holders++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.holders--;
      if (this.holders === 0) await this.close();
    };
  }
}
