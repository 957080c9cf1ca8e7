// The error a client call that must fail was refused with, for tests that read its status and text.
import { BerthApiError } from '@berth/client';
import { expect } from 'vitest';

/** Awaits `call`, expects it to fail with a {@link BerthApiError}, and returns that error. */
export async function failure(call: Promise<unknown>): Promise<BerthApiError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BerthApiError);
  return error as BerthApiError;
}
