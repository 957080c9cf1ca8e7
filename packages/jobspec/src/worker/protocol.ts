// Messages between the jobspec parser thread and the thread that started it. `ending`: the
// worker ends itself after this answer (its parser may be broken); the next parse needs a new one.
import type { ValueObject } from '../value.js';

export interface ParseRequest {
  id: number;
  hcl: string;
  variables: string;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'parsed'; id: number; job: ValueObject }
  | { kind: 'refused'; id: number; message: string; ending?: boolean }
  | { kind: 'fault'; id: number; message: string; stack?: string; ending?: boolean };
