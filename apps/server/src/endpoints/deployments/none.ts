// berth makes no deployments yet (no update strategy is acted on), so it keeps no deployments
// table: every deployment read answers as Nomad does on a cluster that never deployed, with the
// deployment table's index, which has never been written.

/** Nomad's `state.Index("deployment")` on a cluster without deployments. */
export const DEPLOYMENTS_INDEX = 0;
