// Nomad's QueryMeta: what the X-Nomad-* response headers say about an answer.
import { NomadHeader } from '@berth/contract';

/** What a response's `X-Nomad-*` headers say about it. Absent headers give the zero values. */
export interface QueryMeta {
  /**
   * `X-Nomad-Index`: the Raft index of the data answered. Pass it back as `index` to block until
   * something newer exists. 0 when absent (signal, restart).
   */
  lastIndex: number;
  /** `X-Nomad-KnownLeader`: whether the answering server knew a leader. */
  knownLeader: boolean;
  /** `X-Nomad-LastContact`: milliseconds since the answering server heard from the leader (0 on the leader). */
  lastContact: number;
  /** `X-Nomad-NextToken`: pass as `next_token` to get the following page; `''` on the last page. */
  nextToken: string;
}

/** The subset of `Headers` read here. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** A non-negative integer header, 0 when absent or malformed. */
function intHeader(headers: HeaderReader, name: string): number {
  const raw = headers.get(name);
  if (raw === null || !/^\d+$/.test(raw.trim())) return 0;
  return Number(raw.trim());
}

/** Reads the `X-Nomad-*` headers of a response. */
export function parseQueryMeta(headers: HeaderReader): QueryMeta {
  return {
    lastIndex: intHeader(headers, NomadHeader.Index),
    knownLeader: headers.get(NomadHeader.KnownLeader)?.trim() === 'true',
    lastContact: intHeader(headers, NomadHeader.LastContact),
    nextToken: headers.get(NomadHeader.NextToken) ?? '',
  };
}
