// Nomad's DriverChecker (scheduler/feasible/feasible.go): every task driver of a group must be
// detected and healthy on the node, or (older clients) enabled by a `driver.<name>` attribute.
import type { Node } from '@berth/contract';
import { parseGoBool } from '@berth/contract';

/** The filter reason Nomad records for a node that lacks a driver. */
export const FILTER_MISSING_DRIVERS = 'missing drivers';

/** Whether `node` can run every driver in `drivers`. */
export function hasDrivers(node: Node, drivers: Iterable<string>): boolean {
  for (const driver of drivers) {
    const info = node.Drivers?.[driver];
    if (info !== undefined) {
      if (info.Detected && info.Healthy) continue;
      return false;
    }
    const attr = node.Attributes?.[`driver.${driver}`];
    if (attr === undefined || parseGoBool(attr) !== true) return false;
  }
  return true;
}
