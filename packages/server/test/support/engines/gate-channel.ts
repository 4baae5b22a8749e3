/** The broadcast channel between a test and the gated engine in a worker. */
export const GATE_CHANNEL = 'lmtt-test-gate';

/** What crosses it: permits one way, what the engine did the other. */
export type GateMessage =
  | { readonly type: 'release'; readonly count: number }
  | { readonly type: 'started'; readonly prompt: string }
  | { readonly type: 'ended'; readonly prompt: string; readonly last: string };
