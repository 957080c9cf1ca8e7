// Nomad's ScoreFitBinPack (nomad/structs/funcs.go): the fuller a node would be after a
// placement, the higher its score, so allocations pack onto few nodes.

/** The highest fitness; Nomad divides by it to normalise the binpack score to 0..1. */
export const BINPACK_MAX_FIT_SCORE = 18;

function freeFraction(used: number, available: number): number {
  return available > 0 ? 1 - used / available : 0;
}

/**
 * The binpack fitness of a node whose CPU and memory would be `usedCpu`/`usedMemoryMB` of
 * `availCpu`/`availMemoryMB`: 20 − (10^freeCpu + 10^freeMem), bounded to 0..18.
 */
export function scoreFitBinPack(
  usedCpu: number,
  availCpu: number,
  usedMemoryMB: number,
  availMemoryMB: number,
): number {
  const total =
    10 ** freeFraction(usedCpu, availCpu) + 10 ** freeFraction(usedMemoryMB, availMemoryMB);
  const score = 20 - total;
  return score > 18 ? 18 : score < 0 ? 0 : score;
}
