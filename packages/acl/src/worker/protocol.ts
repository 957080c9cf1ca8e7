// The messages between a policy parser thread (parser-thread.ts) and its worker (parse-worker.ts).
import type { Policy } from '../types.js';

/** One parse the thread hands the worker. */
export interface ParseRequest {
  id: number;
  rules: string;
  strict: boolean;
}

/** What the worker answers a {@link ParseRequest}, or says once it can take one. */
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'parsed'; id: number; policy: Policy }
  /** A PolicyParseError: the rules are refused, with the parser's text and line. */
  | { kind: 'refused'; id: number; message: string; line: number | undefined }
  /** Anything else the parser threw: a fault of the parser, not of the rules. */
  | { kind: 'fault'; id: number; message: string; stack: string | undefined };
