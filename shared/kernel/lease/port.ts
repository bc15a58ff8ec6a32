/**
 * A lease: the claim an invocation takes on a piece of work before doing it. It names who holds it
 * (the invocation's request and attempt) and until when (bounded by that attempt's remaining
 * time), and it becomes `done`, with what the work produced, only after the work succeeded. A
 * found lease is never proof that the work was done: only a `done` one is.
 */

/** Who holds a lease: Lambda's request id and the attempt of it. */
interface LeaseHolder {
  requestId: string;
  attemptId: string;
}

/**
 * `held`: claimed, nothing done yet that cannot be repeated or checked; `acting`: the holder is
 * about to do something that can be neither repeated nor checked afterwards (send an alert);
 * `done`: the work succeeded.
 */
type LeaseState = 'held' | 'acting' | 'done';

interface LeaseRecord {
  key: string;
  holder: LeaseHolder;
  state: LeaseState;
  /** Epoch milliseconds after which another invocation may take a `held` or `acting` lease over. */
  until: number;
  /** What the first claimer stored with the claim (a decision's plan); kept by takeovers. */
  data?: unknown;
  /** What the work produced, once `done`. */
  result?: unknown;
  /** Whether this lease was taken over from a holder that died (expired, or an earlier attempt). */
  tookOver?: boolean;
  /** Whether any holder ever marked it `acting` (kept through takeovers). */
  acted?: boolean;
}

interface ClaimRequest {
  key: string;
  holder: LeaseHolder;
  /** Epoch milliseconds, on the claimer's clock. */
  now: number;
  until: number;
  /** How long the record is kept (the deduplication window); a record past it counts as absent. */
  keepSeconds: number;
  data?: unknown;
}

/**
 * `claimed`: this attempt holds the lease (the record says whether it took it over from a dead
 * holder, and whether a holder ever began an act that cannot be checked). `done`: the work was
 * done (by anyone). `held`: another invocation holds an unexpired lease.
 */
type ClaimOutcome =
  | { outcome: 'claimed'; record: LeaseRecord }
  | { outcome: 'done'; record: LeaseRecord }
  | { outcome: 'held'; record: LeaseRecord };

/**
 * Where leases are kept. Every write is safe to repeat: a write whose response was lost and that
 * the client sends again finds its own lease and answers as the first write would have.
 */
interface LeaseStore {
  /** The record in place, unless it lapsed (past its keep time) at `now`. */
  read(key: string, now: number): Promise<LeaseRecord | undefined>;
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /**
   * Moves the holder's lease to `acting` (or, `acting` false, back to `held` after an act that
   * failed cleanly); false if another invocation took it over.
   */
  markActing(key: string, holder: LeaseHolder, acting?: boolean): Promise<boolean>;
  /** Extends the holder's lease; false if another invocation took it over or it is done. */
  renew(key: string, holder: LeaseHolder, until: number): Promise<boolean>;
  /** Ends the holder's lease without marking it done (a lease on a recurring right, not a deed). */
  release(key: string, holder: LeaseHolder): Promise<void>;
  /** Marks the holder's lease done with `result`, kept `keepSeconds` from `now`; false if taken over. */
  complete(
    key: string,
    holder: LeaseHolder,
    result: unknown,
    now: number,
    keepSeconds: number,
  ): Promise<boolean>;
}

/** The ports every function wires: the kernel keeps its leases (plans, side effects) there. */
interface KernelPorts {
  leases: LeaseStore;
}

/** What a lease store's role must grant (shared/aws/dynamodb-lease-store.ts calls these). */
// DeleteItem: `release` gives a lease back by deleting it (a failed act, a recurring right).
const LEASE_PERMISSIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

export type {
  ClaimOutcome,
  ClaimRequest,
  KernelPorts,
  LeaseHolder,
  LeaseRecord,
  LeaseState,
  LeaseStore,
};
export { LEASE_PERMISSIONS };
