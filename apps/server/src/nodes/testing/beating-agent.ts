// A test stand-in for a live node agent in its own process: it registers its node and heartbeats
// it over HTTP at a fixed interval, re-registering after any failure (as the real agent does when a
// server restarts). In its own process, its beats keep coming while the server's loop is stalled.
import type { NodeRegistration } from '@berth/contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const SCRIPT = `
const [address, nodeJson, everyMs] = process.argv.slice(1);
const node = JSON.parse(nodeJson);
const headers = { 'Content-Type': 'application/json', 'X-Nomad-Token': node.SecretID };
let registered = false;
let announced = false;
async function call(method, path, body) {
  const res = await fetch(address + path, { method, headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(method + ' ' + path + ': ' + res.status + ' ' + (await res.text()));
}
async function beat() {
  try {
    if (!registered) await call('POST', '/v1/node/register', { Node: node });
    registered = true;
    await call('PUT', '/v1/node/' + node.ID + '/heartbeat', {});
    if (!announced) console.log('beating');
    announced = true;
  } catch (error) {
    // A server that is down or restarting: register again once it answers.
    registered = false;
    if (!(error instanceof Error)) throw error;
  }
  setTimeout(beat, Number(everyMs));
}
void beat();
`;

/** A node agent process heartbeating one node. */
export interface BeatingAgent {
  child: ChildProcess;
  /** Kills the process and waits for it to be gone. */
  stop(): Promise<void>;
}

/**
 * Starts a process that registers `node` with the server at `address` and heartbeats it every
 * `everyMs`; resolves after its first successful heartbeat.
 */
export async function startBeatingAgent(
  address: string,
  node: NodeRegistration,
  everyMs: number,
): Promise<BeatingAgent> {
  const child = spawn(
    process.execPath,
    ['-e', SCRIPT, address, JSON.stringify(node), String(everyMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('beating')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`agent process exited early (${code})`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, stop };
}
