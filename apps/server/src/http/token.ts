// The caller's ACL token, read as Nomad's HTTP agent reads it: X-Nomad-Token first, then an
// `Authorization: Bearer <token>` header.
import type { IncomingHttpHeaders } from 'node:http';

/** Returns the token the request carries, or '' for an anonymous caller. */
export function requestToken(headers: IncomingHttpHeaders): string {
  const nomad = headerValue(headers['x-nomad-token']).trim();
  if (nomad !== '') return nomad;
  const parts = headerValue(headers.authorization).split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return '';
  // Everything after the scheme, trimmed, and only its first word.
  return parts.slice(1).join(' ').trim().split(' ')[0] ?? '';
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
