// The signal names a task may be sent, as Nomad's helper/signals.SignalLookup: a name outside this
// table is refused before anything is delivered.
import { constants } from 'node:os';

const NAMES = [
  'SIGABRT',
  'SIGALRM',
  'SIGBUS',
  'SIGCHLD',
  'SIGCONT',
  'SIGFPE',
  'SIGHUP',
  'SIGILL',
  'SIGINT',
  'SIGIO',
  'SIGKILL',
  'SIGPIPE',
  'SIGPROF',
  'SIGQUIT',
  'SIGSEGV',
  'SIGSTOP',
  'SIGSYS',
  'SIGTERM',
  'SIGTRAP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGUSR1',
  'SIGUSR2',
  'SIGVTALRM',
  'SIGWINCH',
  'SIGXCPU',
  'SIGXFSZ',
] as const;

/** A signal name berth knows (`SIGUSR1`...). */
export type SignalName = (typeof NAMES)[number];

/** A signal name outside the known table; the agent answers it with a 400. */
export class UnknownSignalError extends Error {
  constructor(readonly signal: string) {
    super(`unknown signal: ${JSON.stringify(signal)}`);
    this.name = 'UnknownSignalError';
  }
}

/** True for a name in the table (exact, upper case, as Nomad's lookup). */
export function isKnownSignal(name: string): name is SignalName {
  return (NAMES as readonly string[]).includes(name) && name in constants.signals;
}

/** The signal's number on this platform; throws {@link UnknownSignalError} for an unknown name. */
export function signalNumber(name: string): number {
  if (!isKnownSignal(name)) throw new UnknownSignalError(name);
  return constants.signals[name];
}

/** The name of a signal number (`2` → `SIGINT`), or undefined. */
export function signalName(num: number): SignalName | undefined {
  return NAMES.find((n) => n in constants.signals && constants.signals[n] === num);
}
