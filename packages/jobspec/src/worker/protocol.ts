// The jobs the jobspec parser thread (parser-thread.ts) hands its worker (parse-worker.ts), and
// the answers, as @berth/worker-thread carries them. An answer may say the worker ends after it
// (its WASM parser may be broken): the next parse gets a new one.
import type { ValueObject } from '../value.js';

export interface ParseRequest {
  hcl: string;
  variables: string;
}

export type ParseAnswer =
  | { kind: 'parsed'; job: ValueObject }
  | { kind: 'refused'; message: string }
  | { kind: 'fault'; message: string; stack?: string };
