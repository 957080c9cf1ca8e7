// A request body decoded as Nomad's agent decodes it: an absent body is `Request body is empty`,
// anything else goes to a Go-style decoder whose error text is the answer.
import { z } from 'zod';
import { ErrorText } from '../errors.js';

/** What a Go-style body decoder returns: the value, or Go's error text. */
export type GoBodyDecoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** The zod schema of a body that `decode` reads (`Input` is what a caller may send). */
export function goBodySchema<T, Input>(
  decode: (body: unknown) => GoBodyDecoded<T>,
): z.ZodType<T, z.ZodTypeDef, Input> {
  return z.unknown().transform((body, ctx): T => {
    if (body === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: ErrorText.RequestBodyIsEmpty,
        fatal: true,
      });
      return z.NEVER;
    }
    const decoded = decode(body);
    if (!decoded.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: decoded.error, fatal: true });
      return z.NEVER;
    }
    return decoded.value;
  }) as unknown as z.ZodType<T, z.ZodTypeDef, Input>;
}
