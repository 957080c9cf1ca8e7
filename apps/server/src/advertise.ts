// The IP a server names itself by (Nomad's advertise address): the bind address, or for a
// wildcard bind the host's first private IPv4, as Nomad picks one; loopback when it has none.
import { networkInterfaces } from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

export function advertiseAddress(bind: string): string {
  if (bind === 'localhost') return '127.0.0.1';
  if (!WILDCARDS.has(bind)) return bind.replace(/^\[(.*)\]$/, '$1');
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return '127.0.0.1';
}
