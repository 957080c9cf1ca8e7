// The jobs a policy parser thread (parser-thread.ts) hands its worker (parse-worker.ts), and the
// answers, as @berth/worker-thread carries them.
import type { Policy } from '../types.js';

/** One parse the thread hands the worker. */
export interface ParseRequest {
  rules: string;
  strict: boolean;
}

/** What the worker answers a {@link ParseRequest}. */
export type ParseAnswer =
  | { kind: 'parsed'; policy: Policy }
  /** A PolicyParseError: the rules are refused, with the parser's text and line. */
  | { kind: 'refused'; message: string; line: number | undefined }
  /** Anything else the parser threw: a fault of the parser, not of the rules. */
  | { kind: 'fault'; message: string; stack: string | undefined };
