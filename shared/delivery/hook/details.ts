import { decodeRun, encodeRun, type GateRun } from './run-state.ts';

/**
 * Harbormaster's state in a hook's hookDetails, under one key so that the service's own
 * hookDetails (which ECS merges with what IN_PROGRESS answers return) are never touched. ECS
 * documents no size limit (an open question), so a run larger than the budget goes to the
 * guard's table and hookDetails carry only a reference to it.
 */
const DETAILS_KEY = 'harbormaster';
const HOOK_DETAILS_BUDGET = 4096;

/** What a hook invocation's hookDetails hold of Harbormaster's. */
interface HookDetailsState {
  /** The analysis run carried in hookDetails, if any. */
  run: GateRun | undefined;
  /** The key of a run kept in the table instead. */
  storedRun: string | undefined;
  /** Answers given in a row without a decision (a failure or a timeout answered IN_PROGRESS). */
  fallbacks: number;
  /** Why hookDetails could not be read, if they could not. */
  problem: string | undefined;
  /** Harbormaster's part as received, to send back unchanged when no decision is made. */
  raw: Record<string, unknown> | undefined;
}

const EMPTY: HookDetailsState = {
  run: undefined,
  storedRun: undefined,
  fallbacks: 0,
  problem: undefined,
  raw: undefined,
};

/** Reads Harbormaster's part of hookDetails; anything unreadable is named and ignored. */
const readHookDetails = (
  hookDetails: Record<string, unknown> | null | undefined,
): HookDetailsState => {
  const ours = hookDetails?.[DETAILS_KEY] as Record<string, unknown> | undefined;
  if (ours === undefined) return EMPTY;
  if (typeof ours !== 'object' || ours === null || ours.v !== 1)
    return {
      ...EMPTY,
      problem: `hookDetails.${DETAILS_KEY} is not Harbormaster's state (version 1)`,
    };
  const base = { ...EMPTY, fallbacks: typeof ours.f === 'number' ? ours.f : 0, raw: ours };
  if (typeof ours.ref === 'string') return { ...base, storedRun: ours.ref };
  if (ours.run === undefined || ours.run === null) return base;
  const run = decodeRun(ours.run);
  return run
    ? { ...base, run }
    : { ...base, problem: `hookDetails.${DETAILS_KEY}.run could not be read` };
};

/**
 * The hookDetails to answer with: the run itself when it fits the budget, else a reference to
 * the stored run (the caller stores it). `fallbacks` resets once a decision is made.
 */
const writeHookDetails = (
  run: GateRun | undefined,
): { hookDetails: Record<string, unknown>; spills: boolean } => {
  // Every field is written, so that a merge by ECS (shallow or deep) leaves nothing stale.
  const state = (fields: { run: unknown; ref: string | null }) => ({
    [DETAILS_KEY]: { v: 1, f: 0, ...fields },
  });
  if (!run) return { hookDetails: state({ run: null, ref: null }), spills: false };
  const inline = state({ run: encodeRun(run), ref: null });
  if (JSON.stringify(inline).length <= HOOK_DETAILS_BUDGET)
    return { hookDetails: inline, spills: false };
  return { hookDetails: state({ run: null, ref: run.key }), spills: true };
};

/** hookDetails after an answer given without a decision: the count of such answers goes up. */
const fallbackHookDetails = (hookDetails: Record<string, unknown> | null | undefined) => {
  const ours = (hookDetails?.[DETAILS_KEY] ?? { v: 1 }) as Record<string, unknown>;
  const f = typeof ours.f === 'number' ? ours.f + 1 : 1;
  return { [DETAILS_KEY]: { ...ours, v: 1, f } };
};

export {
  DETAILS_KEY,
  fallbackHookDetails,
  HOOK_DETAILS_BUDGET,
  type HookDetailsState,
  readHookDetails,
  writeHookDetails,
};
