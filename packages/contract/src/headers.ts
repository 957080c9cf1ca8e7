// The X-Nomad-* headers. ts-rest cannot declare response headers, so they are named here once and
// the client parses them into a typed QueryMeta.

/** Header names of Nomad's HTTP API. */
export const NomadHeader = {
  /** Response: the Raft index of the data answered (decimal uint64); pass it back as `?index=`. */
  Index: 'X-Nomad-Index',
  /** Response: `true`/`false`, whether the answering server knows a leader. */
  KnownLeader: 'X-Nomad-KnownLeader',
  /** Response: milliseconds since the answering server last heard from the leader (0 on the leader). */
  LastContact: 'X-Nomad-LastContact',
  /** Response: the `next_token` of the following page; only sent when there is one. */
  NextToken: 'X-Nomad-NextToken',
  /** Request: the ACL token (its secret ID). `Authorization: Bearer <token>` also works. */
  Token: 'X-Nomad-Token',
} as const;

/**
 * Request headers as Node's `IncomingHttpHeaders` or fastify hold them: lower-case names, a value
 * or a list of values.
 */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

function firstValue(value: string | readonly string[] | undefined): string {
  return (typeof value === 'string' ? value : value?.[0]) ?? '';
}

/**
 * The ACL token a request carries, read as Nomad's HTTP agent reads it: a non-empty
 * `X-Nomad-Token` (trimmed) wins; else `Authorization: Bearer <token>` (scheme in any case, the
 * first word after it); else `''`, an anonymous caller. `Authorization: Basic ...` carries none.
 */
export function requestToken(headers: RequestHeaders): string {
  const nomad = firstValue(headers['x-nomad-token']).trim();
  if (nomad !== '') return nomad;
  const parts = firstValue(headers.authorization).split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return '';
  // Everything after the scheme, trimmed, and only its first word.
  return parts.slice(1).join(' ').trim().split(' ')[0] ?? '';
}
