// The X-Nomad-* headers of a read (Nomad's setMeta). A berth server is always its own leader
// until several servers share one database.
import { NomadHeader } from '@berth/contract';
import type { FastifyReply } from 'fastify';

export function setQueryMeta(reply: FastifyReply, index: number, nextToken = ''): void {
  reply.header(NomadHeader.Index, String(index));
  reply.header(NomadHeader.LastContact, '0');
  reply.header(NomadHeader.KnownLeader, 'true');
  if (nextToken !== '') reply.header(NomadHeader.NextToken, nextToken);
}

export function setIndex(reply: FastifyReply, index: number): void {
  reply.header(NomadHeader.Index, String(index));
}
