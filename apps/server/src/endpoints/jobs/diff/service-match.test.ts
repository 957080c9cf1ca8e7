// The linear pairing of services makes exactly the choices of Nomad's quadratic scan.
import { expect, test } from 'vitest';
import type { JsonObject } from './go-format.js';
import { pairServices } from './service-match.js';

/** Nomad's findServiceMatch as written: score every unpaired candidate, keep the first best. */
function reference(old: JsonObject[], next: JsonObject[]): number[] {
  const taken = new Array<boolean>(next.length).fill(false);
  return old.map((service, index) => {
    let best = -1;
    let bestScore = 0;
    next.forEach((s, i) => {
      if (taken[i]) return;
      const score =
        (i === index ? 1 : 0) +
        (s.PortLabel === service.PortLabel ? 2 : 0) +
        (s.Name === service.Name ? 3 : 0);
      if (score > 2 && score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    if (best >= 0) taken[best] = true;
    return best;
  });
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

test('pairs services as Nomad does, on many random lists with repeated names and ports', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const pick = random(seed);
    const make = () =>
      Array.from({ length: pick(7) }, () => ({ Name: `s${pick(3)}`, PortLabel: `p${pick(3)}` }));
    const old = make();
    const next = make();
    expect(pairServices(old, next), `seed ${seed}`).toEqual(reference(old, next));
  }
});

test('a moved service keeps its pair; a renamed one on the same port and place is paired too', () => {
  const old = [
    { Name: 'api', PortLabel: 'http' },
    { Name: 'metrics', PortLabel: 'prom' },
  ];
  expect(pairServices(old, [old[1]!, old[0]!])).toEqual([1, 0]);
  expect(pairServices(old, [{ Name: 'api-v2', PortLabel: 'http' }])).toEqual([0, -1]);
  // The same name alone, elsewhere, is enough; the same port alone, elsewhere, is not.
  expect(
    pairServices(old, [
      { Name: 'x', PortLabel: 'y' },
      { Name: 'api', PortLabel: 'grpc' },
    ]),
  ).toEqual([1, -1]);
  expect(
    pairServices(old, [
      { Name: 'x', PortLabel: 'y' },
      { Name: 'y', PortLabel: 'http' },
    ]),
  ).toEqual([-1, -1]);
});

test('thousands of services sharing a name are each paired with their mirror image', () => {
  const many = Array.from({ length: 20_000 }, (_, i) => ({ Name: 'same', PortLabel: `p${i}` }));
  const pairs = pairServices(many, [...many].reverse());
  expect(pairs.every((p, i) => p === many.length - 1 - i)).toBe(true);
});
