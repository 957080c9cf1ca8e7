// @berth/jobspec: Nomad's HCL2 jobspec (as its jobspec2 package reads it) to the API's Job JSON.
export { JobspecError } from './errors.js';
export { parseJobspec, type ParseJobspecOptions } from './job.js';
export {
  closeJobspecParserThread,
  holdJobspecParserThread,
  JobspecParserBusyError,
  MAX_JOBSPEC_BYTES,
  parseJobspecOffThread,
} from './worker/parser-thread.js';
