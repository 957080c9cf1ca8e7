// The namespaces API (Nomad's /v1/namespaces and /v1/namespace/:name), route keys named after
// Nomad's Go api client (`Namespaces().List`, `Info`, `Register`, `Delete`). Register takes PUT
// and POST, with the name in the path or only in the body; all share one handler.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { failedToDecodeBody } from '../errors.js';
import { goJsonStruct } from '../go/json-struct.js';
import { QueryOptionsSchema, writeOptionsShape } from '../query.js';
import { NamespaceSchema } from '../schemas/namespace.js';
import { errorResponses } from './errors.js';

const c = initContract();

/** The namespace name in the path; any string (the server validates it). */
export const NamespaceNamePathSchema = z.object({ name: z.string() });

const namespaceStrings = goJsonStruct('Namespace', 'structs.Namespace', {
  Name: 'string',
  Description: 'string',
  Quota: 'string',
});

const kindOf = (v: unknown): string =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;

/**
 * The `Meta` of a namespace body (its key matched case-insensitively, as Go's decoder does):
 * a map of strings, `null` when absent, or Go's text for a value of the wrong kind.
 */
function decodeMeta(body: unknown): { meta: Record<string, string> | null } | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { meta: null };
  let meta: unknown = null;
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'meta') meta = value;
  }
  if (meta === null) return { meta: null };
  const bad = (kind: string, type: string) => ({
    error: failedToDecodeBody(
      `json: cannot unmarshal ${kind} into Go struct field Namespace.Meta of type ${type}`,
    ),
  });
  if (kindOf(meta) !== 'object') return bad(kindOf(meta), 'map[string]string');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta as Record<string, unknown>)) {
    if (typeof v !== 'string') return bad(kindOf(v), 'string');
    out[k] = v;
  }
  return { meta: out };
}

/** A namespace as a caller sends it to Register. */
export interface NamespaceRegisterRequest {
  Name: string;
  Description: string;
  Quota: string;
  Meta: Record<string, string> | null;
}

/**
 * The body of Register: a Namespace as Go decodes it (`Name`, `Description`, `Quota`, `Meta`;
 * other keys ignored, absent ones empty). A value of the wrong kind fails with Go's text.
 */
export const NamespaceRegisterRequestSchema = z
  .unknown()
  .transform((body, ctx): NamespaceRegisterRequest => {
    const strings = namespaceStrings.safeParse(body);
    if (!strings.success) {
      const message = strings.error.issues[0]?.message ?? failedToDecodeBody('invalid body');
      ctx.addIssue({ code: z.ZodIssueCode.custom, message, fatal: true });
      return z.NEVER;
    }
    const decoded = decodeMeta(body);
    if ('error' in decoded) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: decoded.error, fatal: true });
      return z.NEVER;
    }
    return { ...strings.data, Meta: decoded.meta };
  }) as unknown as z.ZodType<
  NamespaceRegisterRequest,
  z.ZodTypeDef,
  Partial<NamespaceRegisterRequest>
>;

const writeQuery = z.object(writeOptionsShape);

/** A namespace write's answer: an empty body; the write's index is in `X-Nomad-Index`. */
export const NamespaceWriteResponseSchema = z.string();

const emptyWrite = { 200: NamespaceWriteResponseSchema };

const registerDescription =
  'Creates or updates a namespace (`Name`, `Description` up to 256 bytes, `Meta`); the name must match `^[a-zA-Z0-9-]{1,128}$`. Answers an empty body and the write index in `X-Nomad-Index`. ACL management.';

/** The namespace routes. Error answers are text (see `ErrorText`), never JSON. */
export const namespacesContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/v1/namespaces',
      query: QueryOptionsSchema,
      responses: { 200: z.array(NamespaceSchema) },
      summary: 'List namespaces',
      description:
        'Lists namespaces in name order; `prefix` filters on the name; blocking query; each namespace is shown to a caller holding any capability in it.',
    },
    info: {
      method: 'GET',
      path: '/v1/namespace/:name',
      pathParams: NamespaceNamePathSchema,
      query: QueryOptionsSchema,
      responses: { 200: NamespaceSchema },
      summary: 'Read a namespace',
      description: 'Reads one namespace; blocking query; 404 `Namespace not found`.',
    },
    register: {
      method: 'POST',
      path: '/v1/namespace/:name',
      pathParams: NamespaceNamePathSchema,
      query: writeQuery,
      body: NamespaceRegisterRequestSchema,
      responses: emptyWrite,
      summary: 'Create or update a namespace',
      description: `${registerDescription} The body's \`Name\` must equal the path's (\`Namespace name does not match request path\`).`,
    },
    registerPut: {
      method: 'PUT',
      path: '/v1/namespace/:name',
      pathParams: NamespaceNamePathSchema,
      query: writeQuery,
      body: NamespaceRegisterRequestSchema,
      responses: emptyWrite,
      summary: 'Create or update a namespace (PUT)',
      description: 'Same as `register`.',
    },
    create: {
      method: 'POST',
      path: '/v1/namespace',
      query: writeQuery,
      body: NamespaceRegisterRequestSchema,
      responses: emptyWrite,
      summary: 'Create or update a namespace named in the body',
      description: registerDescription,
    },
    createPut: {
      method: 'PUT',
      path: '/v1/namespace',
      query: writeQuery,
      body: NamespaceRegisterRequestSchema,
      responses: emptyWrite,
      summary: 'Create or update a namespace named in the body (PUT)',
      description: 'Same as `create`.',
    },
    delete: {
      method: 'DELETE',
      path: '/v1/namespace/:name',
      pathParams: NamespaceNamePathSchema,
      query: writeQuery,
      body: c.noBody(),
      responses: emptyWrite,
      summary: 'Delete a namespace',
      description:
        'Deletes a namespace; `default` cannot be deleted (400), nor a namespace holding non-terminal jobs, allocations or evaluations (409, with Nomad texts); 404 `namespace not found`. ACL management.',
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
