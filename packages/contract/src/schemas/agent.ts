// The agent and status API's shapes (Nomad's api/agent.go `AgentSelf`, `AgentMember`,
// `ServerMembers`, `AgentHealthResponse`; command/agent/config.go for `config`).
import { z } from 'zod';

/** A cluster member as Nomad's agent shows it (serf's view in Nomad; berth's server itself). */
export const AgentMemberSchema = z.object({
  /** `<node name>.<region>`, as Nomad names server members. */
  Name: z.string(),
  /** The member's address (an IP). */
  Addr: z.string(),
  Port: z.number().int(),
  /** `role`, `region`, `dc`, `build`, `port` (the RPC port), `raft_vsn`, ... */
  Tags: z.record(z.string()),
  /** `alive`, `leaving`, `left` or `failed`. */
  Status: z.string(),
  ProtocolMin: z.number().int(),
  ProtocolMax: z.number().int(),
  ProtocolCur: z.number().int(),
  DelegateMin: z.number().int(),
  DelegateMax: z.number().int(),
  DelegateCur: z.number().int(),
});
/** A cluster member. */
export type AgentMember = z.infer<typeof AgentMemberSchema>;

/** The answer of `GET /v1/agent/members`: the answering server and the members it knows. */
export const ServerMembersSchema = z.object({
  ServerName: z.string(),
  ServerRegion: z.string(),
  ServerDC: z.string(),
  Members: z.array(AgentMemberSchema),
});
/** The servers of a cluster. */
export type ServerMembers = z.infer<typeof ServerMembersSchema>;

/** The agent's build, as Nomad's `version.VersionInfo`. */
export const AgentVersionInfoSchema = z.object({
  /** RFC 3339; Go's zero time when unknown. */
  BuildDate: z.string(),
  Revision: z.string(),
  /** `major.minor.patch`. */
  Version: z.string(),
  VersionPrerelease: z.string(),
  VersionMetadata: z.string(),
});
/** The agent's build. */
export type AgentVersionInfo = z.infer<typeof AgentVersionInfoSchema>;

const enabledSchema = z.object({ Enabled: z.boolean() }).passthrough();
const portsSchema = z.object({
  HTTP: z.number().int(),
  RPC: z.number().int(),
  Serf: z.number().int(),
});

/**
 * The agent's configuration, as Nomad's `config` of `/v1/agent/self` (Go's api reads it as
 * `map[string]any`): the keys berth knows, never a secret. Other keys pass through.
 */
export const AgentConfigSchema = z
  .object({
    Region: z.string(),
    Datacenter: z.string(),
    NodeName: z.string(),
    BindAddr: z.string(),
    DevMode: z.boolean(),
    Ports: portsSchema,
    Version: AgentVersionInfoSchema,
    Server: enabledSchema,
    Client: enabledSchema,
    ACL: enabledSchema,
  })
  .passthrough();
/** The agent's configuration. */
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** The answer of `GET /v1/agent/self`; the keys are lower case, as Nomad's. */
export const AgentSelfSchema = z.object({
  config: AgentConfigSchema,
  member: AgentMemberSchema,
  /** Named groups of text values (`nomad`, `runtime`, ...). */
  stats: z.record(z.record(z.string())),
});
/** The agent's own view of itself. */
export type AgentSelf = z.infer<typeof AgentSelfSchema>;

/** One half of a health answer. */
export const AgentHealthSchema = z.object({
  ok: z.boolean(),
  /** Omitted when empty, as Nomad's. */
  message: z.string().optional(),
});
/** One half of a health answer. */
export type AgentHealth = z.infer<typeof AgentHealthSchema>;

/** The answer of `GET /v1/agent/health`: the server's and the node agent's health, when run. */
export const AgentHealthResponseSchema = z.object({
  client: AgentHealthSchema.optional(),
  server: AgentHealthSchema.optional(),
});
/** The answer of `GET /v1/agent/health`. */
export type AgentHealthResponse = z.infer<typeof AgentHealthResponseSchema>;
