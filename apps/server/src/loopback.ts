// Whether a listen address reaches only this machine: a server bound beyond loopback with ACLs off
// refuses to start (berth's departure from Nomad, which starts open).
import { isIP } from 'node:net';

/**
 * True for addresses only this machine can reach: `localhost`, 127.0.0.0/8, `::1` and the
 * IPv4-mapped `::ffff:127.x.x.x`. Everything else is not, `0.0.0.0` and `::` (every address),
 * other host names and IPv6 addresses with a zone included: when in doubt, closed.
 */
export function isLoopbackAddress(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  switch (isIP(host)) {
    case 4:
      // isIP accepts only four decimal parts without leading zeros, so the prefix decides.
      return host.startsWith('127.');
    case 6: {
      // The URL parser writes an IPv6 address in its one canonical form (`0:0::1` is `::1`);
      // it refuses a zone (`fe80::1%eth0`), which is then not loopback.
      if (!URL.canParse(`http://[${host}]/`)) return false;
      const canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
      if (canonical === '::1') return true;
      const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(canonical);
      return mapped !== null && Number.parseInt(mapped[1]!, 16) >> 8 === 127;
    }
    default:
      return false;
  }
}
