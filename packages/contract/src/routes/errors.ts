// The error answers every route may give: the message alone as text/plain (see ../errors.ts).
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { ERROR_CONTENT_TYPE } from '../errors.js';

const c = initContract();

/** An error answer: `text/plain; charset=utf-8`, the message alone. */
export const TextErrorResponse = c.otherResponse({
  contentType: ERROR_CONTENT_TYPE,
  body: z.string(),
});

/** The error statuses of berth's API: 400, 403, 404, 405, 409, 500. */
export const errorResponses = {
  400: TextErrorResponse,
  403: TextErrorResponse,
  404: TextErrorResponse,
  405: TextErrorResponse,
  409: TextErrorResponse,
  500: TextErrorResponse,
};
