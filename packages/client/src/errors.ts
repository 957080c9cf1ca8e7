// The errors the client throws. Every non-2xx answer becomes one BerthApiError, whatever the route.

/** A non-2xx answer from the server. `message` is the server's text body (Nomad sends text). */
export class BerthApiError extends Error {
  override readonly name = 'BerthApiError';

  constructor(
    /** The HTTP status, e.g. 404. */
    readonly status: number,
    /** The server's body, e.g. `alloc not found` (empty for a bare 404). */
    message: string,
    /** The request method. */
    readonly method: string,
    /** The request path, without the query string, e.g. `/v1/allocation/<id>`. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** A 2xx answer whose body does not match the contract (e.g. not berth or Nomad at the address). */
export class BerthResponseValidationError extends Error {
  override readonly name = 'BerthResponseValidationError';

  constructor(
    /** The request method. */
    readonly method: string,
    /** The request path, without the query string. */
    readonly path: string,
    /** The validation failure. */
    override readonly cause: unknown,
  ) {
    super(
      `Unexpected response body from ${method} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}
