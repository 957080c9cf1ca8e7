// The task drivers: one interface, raw_exec for real processes and the mock driver for tests.
export type { Driver, ExitResult, Fingerprint, TaskConfig, TaskHandle } from './driver.js';
export { RecoverableError, isRecoverable } from './errors.js';
export {
  UnknownSignalError,
  isKnownSignal,
  signalName,
  signalNumber,
  type SignalName,
} from './signals.js';
export { RawExecDriver, type RawExecDriverOptions } from './raw-exec/raw-exec-driver.js';
export { MockDriver } from './mock/mock-driver.js';
