// Driver errors the task runner tells apart, as Nomad's structs.RecoverableError: a start error
// that may succeed on a later attempt is restarted under the restart policy; any other fails the
// task at once.

/** A start failure worth retrying (the restart policy applies). */
export class RecoverableError extends Error {
  readonly recoverable = true;
  constructor(message: string) {
    super(message);
    this.name = 'RecoverableError';
  }
}

/** True when the error says it may go away on a later attempt. */
export function isRecoverable(error: unknown): boolean {
  return error instanceof RecoverableError;
}
