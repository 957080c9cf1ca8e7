// A task's environment and `${...}` interpolation (Nomad's client/taskenv).
export {
  buildTaskEnv,
  type TaskDirs,
  type TaskEnv,
  type TaskEnvInput,
  type TaskEnvNode,
} from './task-env.js';
export { interpolateDeep, interpolateString, type Resolver } from './interpolate.js';
