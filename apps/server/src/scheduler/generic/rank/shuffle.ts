// Nomad's ShuffleNodes (scheduler/feasible/feasible.go): a Fisher-Yates shuffle seeded by the
// evaluation ID and the state index, so one evaluation always visits nodes in the same order
// (reproducible) while different evaluations spread over different nodes.

function seedOf(evalID: string, index: number): number {
  let h = 0x811c9dc5 ^ index;
  for (let i = 0; i < evalID.length; i++) h = Math.imul(h ^ evalID.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// mulberry32: small, fast and good enough to order nodes.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `items` in place, deterministically for (`evalID`, `index`). */
export function shuffleNodes<T>(items: T[], evalID: string, index: number): void {
  const next = random(seedOf(evalID, index));
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  }
}
