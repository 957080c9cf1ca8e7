// Errors an endpoint answers with: a status and the exact text Nomad's clients see.
import { ErrorText } from '@berth/contract';

/** A failure with the HTTP status and message the caller gets, as Nomad's CodedError. */
export class EndpointError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 409 | 429 | 500,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new EndpointError(400, message);
export const forbidden = () => new EndpointError(403, ErrorText.PermissionDenied);
export const notFound = (message: string) => new EndpointError(404, message);
export const conflict = (message: string) => new EndpointError(409, message);
