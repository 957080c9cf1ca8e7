// The deployments API (Nomad's /v1/deployments and /v1/deployment/:id), route keys named after
// Nomad's Go api client (`Deployments().List`, `Info`). berth makes no deployments yet: the list
// is empty and every ID is unknown, as on a Nomad cluster that never deployed.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { QueryOptionsSchema } from '../query.js';
import { DeploymentSchema } from '../schemas/deployment.js';
import { errorResponses } from './errors.js';

const c = initContract();

/** The deployment ID in the path; any string (the server looks it up after authentication). */
export const DeploymentIdPathSchema = z.object({ deploymentID: z.string() });

/** The deployment routes. Error answers are text (see `ErrorText`), never JSON. */
export const deploymentsContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/v1/deployments',
      query: QueryOptionsSchema,
      responses: { 200: z.array(DeploymentSchema) },
      summary: 'List deployments',
      description:
        'Lists deployments of a namespace (`*` for all); `prefix`, `filter`, `per_page`, `next_token` and `reverse` as for other lists; blocking query; ACL namespace:read-job.',
    },
    info: {
      method: 'GET',
      path: '/v1/deployment/:deploymentID',
      pathParams: DeploymentIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: DeploymentSchema },
      summary: 'Read a deployment',
      description:
        'Reads one deployment by its full ID; blocking query; 404 `deployment not found`; ACL namespace:read-job.',
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
