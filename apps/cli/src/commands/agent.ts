// `berth agent` (Nomad's `nomad agent`): a server (`--server`), a node agent against servers
// (`--client`), or both in one process for a first try (`--dev`).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDrivers, startAgent, type RunningAgent } from '@berth/agent';
import { BerthApiError, createClient } from '@berth/client';
import { startServer, type RunningServer } from '@berth/server';

export const agentUsage = `Usage: berth agent (--dev | --server | --client --servers ADDR) [options]

Runs berth in the foreground until SIGINT or SIGTERM.

Modes:
  --dev             A server and a node agent in one process, for a first try.
  --server          A server (the control plane and its HTTP API).
  --client          A node agent: runs the allocations the servers place on this machine.

Options:
  --servers ADDR    Server addresses for --client, comma-separated (e.g. http://10.0.0.1:4646).
  --bind ADDR       Address to listen on (default 127.0.0.1).
  --http-port N     HTTP port (default 4646; for --client the agent's own API, default 4647).
  --data-dir DIR    Where state, node identity and task directories live (default ./berth-data).
  --node-name N     The node's name (default the host name).
  --datacenter DC   The node's datacenter (default dc1).
  --node-class C    The node's class.
  --node-pool P     The node's pool (default default).
  --meta KEY=VALUE  Node metadata; repeat for more.
  --log             Log requests and errors as JSON lines.

Server options:
  --acl                 Turn ACLs on: every request is authorised by its token (X-Nomad-Token or
                        NOMAD_TOKEN for Nomad's CLI). Create the first management token with
                        POST /v1/acl/bootstrap (or \`nomad acl bootstrap\`); --dev --acl does it
                        on its first start and prints the token.
  --insecure            Listen beyond loopback (--bind 0.0.0.0, ...) with ACLs off: anyone who
                        reaches the server can run any command on every node. Without --acl or
                        --insecure, a server refuses any --bind but 127.0.0.0/8, ::1 and localhost.
  --job-max-count N     The most allocations one job may ask for, all groups together
                        (default 50000).
  --job-max-priority N  The highest job priority accepted (default 100).
  --allowed-origin URL  A web origin (e.g. https://ui.example.com) from which browsers may send
                        writes; repeat for more. Writes from any other origin are refused.

Node agent options:
  --token TOKEN         The ACL token (secret ID) the node agent registers with when the servers
                        run with --acl; it needs node:write (node { policy = "write" }).

Stopping a node agent leaves its tasks running; started again, it re-attaches to them.
`;

export interface AgentOptions {
  server: boolean;
  client: boolean;
  dev: boolean;
  servers: string[];
  bind: string;
  httpPort: number;
  dataDir: string;
  nodeName: string;
  datacenter: string;
  nodeClass: string;
  nodePool: string;
  meta: Record<string, string>;
  log: boolean;
  jobMaxCount: number | undefined;
  jobMaxPriority: number | undefined;
  allowedOrigins: string[];
  acl: boolean;
  insecure: boolean;
  /** The ACL token the node agent registers with (`--token`), or undefined. */
  token: string | undefined;
}

/** Parses `berth agent` arguments; throws an Error whose message is meant for the user. */
export function parseAgentArgs(args: string[]): AgentOptions {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: 'boolean', default: false },
      client: { type: 'boolean', default: false },
      dev: { type: 'boolean', default: false },
      servers: { type: 'string', default: '' },
      bind: { type: 'string', default: '127.0.0.1' },
      'http-port': { type: 'string' },
      'data-dir': { type: 'string', default: './berth-data' },
      'node-name': { type: 'string', default: '' },
      datacenter: { type: 'string', default: 'dc1' },
      'node-class': { type: 'string', default: '' },
      'node-pool': { type: 'string', default: 'default' },
      meta: { type: 'string', multiple: true, default: [] },
      log: { type: 'boolean', default: false },
      'job-max-count': { type: 'string' },
      'job-max-priority': { type: 'string' },
      'allowed-origin': { type: 'string', multiple: true, default: [] },
      acl: { type: 'boolean', default: false },
      insecure: { type: 'boolean', default: false },
      token: { type: 'string' },
    },
    strict: true,
  });
  const modes = [values.dev, values.server, values.client].filter(Boolean).length;
  if (modes === 0) throw new Error('berth agent needs a mode: --dev, --server or --client');
  if (values.dev && modes > 1) throw new Error('--dev runs a server and a client: use it alone');
  if (values.client && !values.server) {
    if (values.acl)
      throw new Error('--acl turns ACLs on in a server: use it with --server or --dev');
    if (values.insecure)
      throw new Error('--insecure applies to a server: use it with --server or --dev');
  }
  if (values.token !== undefined) {
    if (values.server && !values.client) {
      throw new Error("--token is the node agent's token: use it with --client or --dev");
    }
    if (values.token.trim() === '') throw new Error('--token needs a value');
  }
  const defaultPort = values.client && !values.server ? '4647' : '4646';
  const portText = values['http-port'] ?? defaultPort;
  const httpPort = Number(portText);
  if (!/^\d+$/.test(portText) || !Number.isInteger(httpPort) || httpPort > 65535) {
    throw new Error(`Invalid --http-port "${portText}": expected a port number`);
  }
  const servers = values.servers
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (/^https?:\/\//.test(s) ? s : `http://${s}`));
  if (values.client && !values.server && servers.length === 0) {
    throw new Error('--client needs --servers ADDR (e.g. --servers http://127.0.0.1:4646)');
  }
  for (const s of servers) {
    if (!URL.canParse(s)) throw new Error(`Invalid --servers address "${s}"`);
  }
  const meta: Record<string, string> = {};
  for (const pair of values.meta) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`Invalid --meta "${pair}": expected KEY=VALUE`);
    meta[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const allowedOrigins = values['allowed-origin'].map((origin) => {
    const url = URL.canParse(origin) ? new URL(origin) : undefined;
    if (
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.origin !== origin.replace(/\/$/, '')
    ) {
      throw new Error(`Invalid --allowed-origin "${origin}": expected scheme://host[:port]`);
    }
    return url.origin;
  });
  return {
    server: values.server || values.dev,
    client: values.client || values.dev,
    dev: values.dev,
    servers,
    bind: values.bind,
    httpPort,
    dataDir: values['data-dir'],
    nodeName: values['node-name'],
    datacenter: values.datacenter,
    nodeClass: values['node-class'],
    nodePool: values['node-pool'],
    meta,
    log: values.log,
    jobMaxCount: positiveInt('--job-max-count', values['job-max-count'], 2 ** 31 - 1),
    jobMaxPriority: positiveInt('--job-max-priority', values['job-max-priority'], 32_767),
    allowedOrigins,
    acl: values.acl,
    insecure: values.insecure,
    token: values.token?.trim(),
  };
}

/** An optional integer flag between 1 and `max`. */
function positiveInt(flag: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max) {
    throw new Error(`Invalid ${flag} "${text}": expected a whole number from 1 to ${max}`);
  }
  return n;
}

/** What `runAgent` started, for the caller to stop. */
export interface StartedAgent {
  server: RunningServer | undefined;
  agent: RunningAgent | undefined;
  /** The server's address, when this process runs one. */
  address: string | undefined;
  /**
   * With `--dev --acl`: the management token this start bootstrapped, or `undefined` when the
   * data directory's ACLs were bootstrapped before.
   */
  bootstrapToken: string | undefined;
  close(): Promise<void>;
}

/**
 * `--dev --acl` bootstraps ACLs when they never were, as other dev modes hand out a root token:
 * the node agent in this process needs a token with node:write to register (it re-registers
 * with its own secret afterwards), and no token exists before bootstrap.
 */
async function bootstrapForDev(server: RunningServer): Promise<string | undefined> {
  try {
    const { data } = await createClient({ address: server.address }).acl.bootstrap();
    return data.SecretID;
  } catch (error) {
    // With ACLs on, bootstrap's 400s all say it was done before (and is not reset, or wrongly).
    if (error instanceof BerthApiError && error.status === 400) return undefined;
    throw error;
  }
}

/** Starts what the options ask for: a server, a node agent, or both (`--dev`). */
export async function startAgentProcess(options: AgentOptions): Promise<StartedAgent> {
  const server = options.server
    ? await startServer({
        bind: options.bind,
        httpPort: options.httpPort,
        dataDir: options.dataDir,
        log: options.log,
        limits: {
          ...(options.jobMaxCount !== undefined && { jobMaxCount: options.jobMaxCount }),
          ...(options.jobMaxPriority !== undefined && { jobMaxPriority: options.jobMaxPriority }),
        },
        allowedOrigins: options.allowedOrigins,
        acl: options.acl,
        insecure: options.insecure,
        // What the agent API reports about this process: its name, datacenter, a node agent.
        ...(options.nodeName && { nodeName: options.nodeName }),
        datacenter: options.datacenter,
        clientEnabled: options.client,
        devMode: options.dev,
      })
    : undefined;
  let agent: RunningAgent | undefined;
  let bootstrapToken: string | undefined;
  try {
    if (server && options.dev && options.acl && options.token === undefined) {
      bootstrapToken = await bootstrapForDev(server);
    }
    if (options.client) {
      agent = await startAgent({
        servers: server ? [server.address, ...options.servers] : options.servers,
        dataDir: resolve(options.dataDir),
        bind: options.bind,
        // With a server in this process, the agent's own API takes any free port.
        httpPort: server ? 0 : options.httpPort,
        nodeName: options.nodeName,
        datacenter: options.datacenter,
        nodeClass: options.nodeClass,
        nodePool: options.nodePool,
        meta: options.meta,
        token: options.token ?? bootstrapToken,
        // --dev also offers Nomad's mock driver, for trying jobs without real processes.
        drivers: defaultDrivers({ mock: server !== undefined }),
        log: options.log
          ? (message, error) => console.error(`berth agent: ${message}`, error ?? '')
          : undefined,
      });
    }
  } catch (error) {
    await server?.close();
    throw error;
  }
  return {
    server,
    agent,
    address: server?.address,
    bootstrapToken,
    async close() {
      await agent?.close();
      await server?.close();
    },
  };
}

/** What `--dev` prints once running: where the server is and, with ACLs on, which token to use. */
export function devHint(
  options: Pick<AgentOptions, 'acl' | 'dataDir'>,
  started: Pick<StartedAgent, 'address' | 'bootstrapToken'>,
): string {
  const lines = [
    '',
    'berth is running in dev mode. Try:',
    `  export NOMAD_ADDR=${started.address}`,
  ];
  if (options.acl && started.bootstrapToken !== undefined) {
    lines.push(
      `  export NOMAD_TOKEN=${started.bootstrapToken}   # ACLs are on: the management token`,
    );
  } else if (options.acl) {
    lines.push(
      `  export NOMAD_TOKEN=...   # ACLs are on and were bootstrapped in an earlier run of ${options.dataDir}:`,
      '                           # its management token (lost: see acl-bootstrap-reset in the README)',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the agent until a stop signal; resolves when it has shut down. */
export async function runAgent(options: AgentOptions): Promise<void> {
  const started = await startAgentProcess(options);
  for (const warning of started.server?.warnings ?? []) console.error(`berth: warning: ${warning}`);
  if (started.server) {
    console.log(
      `berth server listening on ${started.server.address} (data dir ${options.dataDir})`,
    );
  }
  if (started.agent) {
    console.log(
      `berth node ${started.agent.nodeID} ready (agent API on ${started.agent.httpAddr})`,
    );
  }
  if (options.dev) console.log(devHint(options, started));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      started.close().then(resolve, (error: unknown) => {
        console.error('berth: error while stopping:', error);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log('berth agent stopped');
}
