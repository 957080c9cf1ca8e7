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
