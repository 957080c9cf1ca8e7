// The one error a jobspec can cause: hcl's or Nomad's diagnostic text, answered as a 400.

/** A jobspec (or its variables) that cannot be turned into a job; the message is the user's. */
export class JobspecError extends Error {
  override readonly name = 'JobspecError';
}
