// Messages between the jobspec parser thread and the thread that started it.
import type { ValueObject } from '../value.js';

export interface ParseRequest {
  id: number;
  hcl: string;
  variables: string;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'parsed'; id: number; job: ValueObject }
  | { kind: 'refused'; id: number; message: string }
  | { kind: 'fault'; id: number; message: string; stack?: string };
