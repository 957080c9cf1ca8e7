// The node's compute as fingerprinted (`cpu.totalcompute` MHz over `cpu.numcores`), the scale of
// the MHz ("ticks") Nomad reports CPU use in.
import type { NodeCompute } from './task-sampler.js';

/** The compute from a node's attributes; 0 where they are missing or not numbers. */
export function nodeCompute(attributes: Record<string, string>): NodeCompute {
  const number = (key: string) => {
    const value = Number(attributes[key]);
    return Number.isFinite(value) && value > 0 ? value : 0;
  };
  return { totalMHz: number('cpu.totalcompute'), cores: number('cpu.numcores') };
}
