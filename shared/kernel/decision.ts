import type { Action } from './action.ts';

/** What a decision concluded; "invalid" is reserved for input that could not be parsed. */
type Outcome = 'acted' | 'ignored';

/** The result of a pure decision: data, carried out later by the executor. */
interface Decision<A extends Action = Action> {
  outcome: Outcome;
  reason: string;
  actions: A[];
}

/** A decision to do nothing, and why. */
const ignore = <A extends Action = never>(reason: string): Decision<A> => ({
  outcome: 'ignored',
  reason,
  actions: [],
});

/** A decision to act; with no actions it is an "ignored" decision. */
const act = <A extends Action>(reason: string, actions: A[]): Decision<A> =>
  actions.length === 0 ? ignore(reason) : { outcome: 'acted', reason, actions };

export { act, type Decision, ignore, type Outcome };
