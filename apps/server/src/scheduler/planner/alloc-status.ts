// Nomad's allocation status predicates (nomad/structs/alloc.go) as the plan applier and the
// blocked-evals tracker need them: the generic scheduler's, so that all agree.
export { clientTerminal, terminal } from '../generic/alloc/status.js';
