// `berth agent`: runs a berth server in this process (node agents arrive with their own issue).
import { parseArgs } from 'node:util';
import { startServer } from '@berth/server';

export const agentUsage = `Usage: berth agent --server [options]

Runs a berth server in the foreground until SIGINT or SIGTERM.

Options:
  --server          Run a server (the control plane and its HTTP API).
  --bind ADDR       Address to listen on (default 127.0.0.1).
  --http-port N     HTTP port (default 4646).
  --data-dir DIR    Where the state is kept (default ./berth-data).
  --log             Log requests and errors as JSON lines.
`;

export interface AgentOptions {
  server: boolean;
  bind: string;
  httpPort: number;
  dataDir: string;
  log: boolean;
}

/** Parses `berth agent` arguments; throws an Error whose message is meant for the user. */
export function parseAgentArgs(args: string[]): AgentOptions {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: 'boolean', default: false },
      bind: { type: 'string', default: '127.0.0.1' },
      'http-port': { type: 'string', default: '4646' },
      'data-dir': { type: 'string', default: './berth-data' },
      log: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const httpPort = Number(values['http-port']);
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535) {
    throw new Error(`Invalid --http-port "${values['http-port']}": expected a port number`);
  }
  if (!values.server) throw new Error('berth agent needs a mode: --server');
  return {
    server: values.server,
    bind: values.bind,
    httpPort,
    dataDir: values['data-dir'],
    log: values.log,
  };
}

/** Runs the agent until a stop signal; resolves when it has shut down. */
export async function runAgent(options: AgentOptions): Promise<void> {
  const server = await startServer({
    bind: options.bind,
    httpPort: options.httpPort,
    dataDir: options.dataDir,
    log: options.log,
  });
  console.log(`berth server listening on ${server.address} (data dir ${options.dataDir})`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(resolve, (error: unknown) => {
        console.error('berth: error while stopping:', error);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log('berth server stopped');
}
