// berth's API described as OpenAPI 3, generated from the ts-rest contract, so that users of other
// languages can generate a client. Served as a plain fastify route beside the contract's router:
// the document describes the contract, so the contract cannot hold it (it would describe itself),
// and it holds no data, so it needs no ACL (the ACL endpoint matrix walks contract routes only).
import { contract } from '@berth/contract';
import { generateOpenApi } from '@ts-rest/open-api';
import type { FastifyInstance } from 'fastify';
import { BERTH_VERSION } from '../version.js';

export const OPENAPI_PATH = '/v1/openapi.json';

type OpenApiDocument = ReturnType<typeof generateOpenApi>;

function generate(): OpenApiDocument {
  return generateOpenApi(
    contract,
    {
      info: {
        title: 'berth',
        version: BERTH_VERSION,
        description:
          "berth's HTTP API, wire-compatible with HashiCorp Nomad's: a Nomad client or SDK " +
          'works against it. Generated from the ts-rest contract.',
      },
    },
    // Contract keys repeat across routers (`list`, `read`); the path of keys is unique. The
    // generator describes a transform by its input, so the Go-style decoders
    // (`z.unknown().transform(...)`) read as `{}` (any value), and it does not follow `z.lazy`:
    // the recursive job diff's nested objects read as `{}` too, so it cannot recurse forever.
    { setOperationId: 'concatenated-path' },
  );
}

/**
 * The generator writes a bound that excludes its value as JSON Schema 2019 does
 * (`exclusiveMaximum: N` beside `maximum: N`); OpenAPI 3.0 wants a boolean beside the bound.
 */
function openApi30Bounds(key: string, value: unknown): unknown {
  const exclusive = key === 'exclusiveMaximum' || key === 'exclusiveMinimum';
  return exclusive && typeof value === 'number' ? true : value;
}

let cached: string | undefined;

/** The document as JSON text, generated on first use and then the same bytes every time. */
export function openApiJson(): string {
  cached ??= JSON.stringify(generate(), openApi30Bounds);
  return cached;
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get(OPENAPI_PATH, (_request, reply) => reply.type('application/json').send(openApiJson()));
}
