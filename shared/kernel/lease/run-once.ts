import { HarbormasterError, TransientError } from '../errors.ts';
import type { Invocation } from '../invocation.ts';
import type { LeaseHolder, LeaseRecord, LeaseStore } from './port.ts';

/** Another invocation holds the lease: retryable, so that Lambda tries again once it has ended. */
class LeaseHeldError extends TransientError {
  public constructor(record: LeaseRecord) {
    super(
      `${record.key} is in hand by request ${record.holder.requestId} until ${new Date(record.until).toISOString()}`,
    );
    this.name = 'LeaseHeldError';
  }
}

/** This attempt lost its lease to another (it outlived it): a retry finds out what happened. */
class LeaseLostError extends TransientError {
  public constructor(key: string) {
    super(`the lease on ${key} was taken over by another invocation`);
    this.name = 'LeaseLostError';
  }
}

/**
 * A side effect, done once under a lease keyed `key`. How a takeover (the previous holder died
 * after claiming) treats it depends on what the effect allows:
 * - `recover`: finds out whether the dead holder did it (the rollback reads the service), and
 *   completes with what it finds instead of acting again;
 * - `repeatable`: doing it again is harmless (StopTask, TagResource, RunTask with its token);
 * - neither (an alert): the lease is marked `acting` right before the act, and a takeover of a
 *   lease someone began to act on gives up as `uncertain` instead of doing it twice.
 */
interface Effect<R> {
  key: string;
  /** How long the done record is kept (the deduplication window). */
  keepSeconds: number;
  act(): Promise<R>;
  recover?: (record: LeaseRecord) => Promise<R | undefined>;
  repeatable?: boolean;
}

/**
 * `done`: this attempt did it (or found, on a takeover, that the dead holder had); `already`: it
 * was done before (by this invocation or another); `uncertain`: a holder died while doing an act
 * that can be neither checked nor repeated.
 */
type OnceOutcome<R> =
  | { status: 'done'; result: R; recovered: boolean }
  | { status: 'already'; result: R }
  | { status: 'uncertain'; record: LeaseRecord };

interface OnceContext {
  leases: LeaseStore;
  invocation: Invocation;
  /** The runtime's clock. */
  clock: () => Date;
}

const holderOf = (invocation: Invocation): LeaseHolder => ({
  requestId: invocation.requestId,
  attemptId: invocation.attemptId,
});

/** The end of a lease taken now: the attempt's own end, since it cannot act after it. */
const leaseEnd = (context: OnceContext): number =>
  context.clock().getTime() + Math.max(0, context.invocation.remainingMs());

/**
 * Does `effect` once: claims its lease, acts, and marks it done with the result only after the act
 * succeeded. A done lease returns its result without acting; another invocation's live lease
 * throws `LeaseHeldError` (retryable); an expired one, or one of an earlier attempt of this
 * request, is taken over. An act that fails with an error gives the lease back; one whose holder
 * dies leaves it to this request's next attempt at once, and to others once it expires; one whose
 * act can be checked (`recover`) and fails ends its lease, so that the next claimer checks first.
 */
const runOnce = async <R>(effect: Effect<R>, context: OnceContext): Promise<OnceOutcome<R>> => {
  const { leases } = context;
  const holder = holderOf(context.invocation);
  const now = context.clock().getTime();
  const claim = await leases.claim({
    key: effect.key,
    holder,
    now,
    until: leaseEnd(context),
    keepSeconds: effect.keepSeconds,
  });
  if (claim.outcome === 'done') return { status: 'already', result: claim.record.result as R };
  if (claim.outcome === 'held') throw new LeaseHeldError(claim.record);
  const finish = async (result: R, recovered: boolean): Promise<OnceOutcome<R>> => {
    const at = context.clock().getTime();
    if (!(await leases.complete(effect.key, holder, result, at, effect.keepSeconds)))
      throw new LeaseLostError(effect.key);
    return { status: 'done', result, recovered };
  };
  const { record } = claim;
  if (record.tookOver && effect.recover) {
    const found = await effect.recover(record);
    if (found !== undefined) return finish(found, true);
  }
  if (!effect.repeatable && !effect.recover) {
    if (record.acted) {
      await leases.complete(effect.key, holder, { uncertain: true }, now, effect.keepSeconds);
      return { status: 'uncertain', record };
    }
    let marked: boolean;
    try {
      marked = await leases.markActing(effect.key, holder);
    } catch (error) {
      // Its answer may have been lost after the write: nothing was done, so give the lease back
      // rather than leave it looking like an act begun (best effort: a retry may still find it so).
      await leases.release(effect.key, holder).catch(() => undefined);
      throw error;
    }
    if (!marked) throw new LeaseLostError(effect.key);
  }
  let result: R;
  try {
    result = await effect.act();
  } catch (error) {
    // It failed and said so. An act that can be checked may have failed after its effect took
    // place (UpdateService answered, then the record of it was throttled; or a 5xx answered a
    // call that was applied), so the lease is ended, not given back: whoever comes next takes it
    // over and checks first. Any other act is not done, and whoever comes next may do it at
    // once. (A holder that dies instead never gets here, and leaves its lease to expire.)
    if (effect.recover) await leases.renew(effect.key, holder, context.clock().getTime());
    else await leases.release(effect.key, holder);
    throw error;
  }
  return finish(result, false);
};

/** An act a dead holder began but may not have finished, so it is neither redone nor known done. */
class UncertainEffectError extends HarbormasterError {
  public constructor(what: string) {
    super(
      `${what}: an earlier attempt died while doing it, so Harbormaster cannot tell whether it happened and does not repeat it`,
      false,
    );
    this.name = 'UncertainEffectError';
  }
}

export {
  type Effect,
  holderOf,
  LeaseHeldError,
  LeaseLostError,
  leaseEnd,
  type OnceContext,
  type OnceOutcome,
  runOnce,
  UncertainEffectError,
};
