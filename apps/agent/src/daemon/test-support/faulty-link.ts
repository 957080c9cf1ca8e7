// For the daemon's tests: a loopback TCP link to a real server that can be made to fail the way
// a server that is gone fails. `hang()` is a server whose process is stopped or cut off: the
// connections stay open and new ones are accepted, but nothing is ever answered. `refuse()` is a
// server that has exited: open connections are reset and new ones refused.
import { connect, createServer, type Socket } from 'node:net';

export interface FaultyLink {
  /** The link's base URL, to give the agent in place of the server's. */
  address: string;
  /** From now on nothing is answered: requests under way and new ones wait forever. */
  hang(): void;
  /** Resets every connection and stops listening: new connections are refused. */
  refuse(): Promise<void>;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

/** A link to the HTTP server at `target` (`http://host:port`). */
export async function startFaultyLink(target: string): Promise<FaultyLink> {
  const { hostname, port } = new URL(target);
  const clients = new Set<Socket>();
  const upstreams = new Set<Socket>();
  let hanging = false;

  const server = createServer((client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    // The agent resets the connections it gives up on (an aborted request): expected here.
    client.on('error', () => client.destroy());
    if (hanging) return;
    const upstream = connect(Number(port), hostname);
    upstreams.add(upstream);
    upstream.on('close', () => {
      upstreams.delete(upstream);
      // The server ended the connection: the agent sees it end too, unless the link hangs.
      if (!hanging) client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('the link has no TCP port');

  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) resolve();
      else server.close(() => resolve());
    });

  return {
    address: `http://127.0.0.1:${bound.port}`,
    hang() {
      hanging = true;
      // The server side of each connection goes away; the agent's side stays open, silent.
      for (const upstream of upstreams) {
        upstream.unpipe();
        upstream.destroy();
      }
      for (const client of clients) client.unpipe();
    },
    async refuse() {
      const closed = stopListening();
      for (const client of clients) client.resetAndDestroy();
      for (const upstream of upstreams) upstream.destroy();
      await closed;
    },
    async close() {
      const closed = stopListening();
      for (const client of clients) client.destroy();
      for (const upstream of upstreams) upstream.destroy();
      await closed;
    },
  };
}
