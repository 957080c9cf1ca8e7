// Nomad's `findServiceMatch`, without its quadratic scan: services have no identity, so each old
// service takes the unpaired new service scoring highest (same name 3, same port label 2, same
// position 1; more than 2 needed), the lowest index winning ties. The same choices come from
// looking only where each score can occur, through per-key queues of unpaired indexes, so a
// group with thousands of services costs linear time, not millions of comparisons.
import { Queues } from './by-name.js';
import type { JsonObject } from './go-format.js';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** For each old service, the index of the new service it is paired with, or -1. */
export function pairServices(old: readonly JsonObject[], next: readonly JsonObject[]): number[] {
  const taken = new Array<boolean>(next.length).fill(false);
  const names = next.map((s) => text(s.Name));
  const ports = next.map((s) => text(s.PortLabel));
  // JSON of the pair keeps any two strings apart.
  const both = new Queues(
    next.map((_, i) => JSON.stringify([names[i], ports[i]])),
    taken,
  );
  const byName = new Queues(names, taken);
  const pairs = old.map((service, index) => {
    const name = text(service.Name);
    const port = text(service.PortLabel);
    const here = index < next.length && !taken[index] ? index : -1;
    const sameName = here >= 0 && names[here] === name;
    const samePort = here >= 0 && ports[here] === port;
    let match = -1;
    if (sameName && samePort) {
      match = here; // 6
    } else {
      match = both.first(JSON.stringify([name, port])); // 5 (the same position is not among them)
      if (match < 0 && sameName) match = here; // 4
      if (match < 0) {
        // 3: the same name elsewhere (every such one has another port by now), or the same
        // port at the same position; the lower index is met first.
        const named = byName.first(name);
        const positioned = samePort ? here : -1;
        match = named < 0 ? positioned : positioned < 0 ? named : Math.min(named, positioned);
      }
    }
    if (match >= 0) taken[match] = true;
    return match;
  });
  return pairs;
}
