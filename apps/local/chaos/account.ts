import type { LocalStack } from '../lambda/local-stack.ts';
import { deadLetteredFunctions, type EffectCounts, observeEffects } from './effects.ts';

/** What became of one side effect the scenarios expect. */
type Fate = 'done once' | 'dead-lettered with an alert' | 'lost' | 'doubled';

interface AccountLine {
  effect: string;
  expected: number;
  observed: number;
  fate: Fate;
}

/** The account of a chaos run: every expected side effect and its fate, and the totals. */
interface Account {
  lines: AccountLine[];
  totals: Record<Fate, number>;
  /** Side effects the run had that the fault-free run did not (none expected). */
  unexpected: string[];
}

/**
 * Compares the side effects of a run with faults against those of the same scenarios without
 * faults (`expected`). Each expected effect is done once (as often as expected), doubled (more
 * often), dead-lettered with an alert (less often, and a function that could have done it sent a
 * dead-letter alert), or lost (less often, and no such alert).
 */
const accountFor = (stack: LocalStack, expected: EffectCounts): Account =>
  compareEffects(expected, observeEffects(stack), deadLetteredFunctions(stack));

/** The account of `observed` against `expected`, given the functions sent to the dead-letter path. */
const compareEffects = (
  expected: EffectCounts,
  observed: EffectCounts,
  deadLettered: ReadonlySet<string>,
): Account => {
  const totals: Record<Fate, number> = {
    'done once': 0,
    'dead-lettered with an alert': 0,
    lost: 0,
    doubled: 0,
  };
  const lines: AccountLine[] = [];
  for (const [effect, want] of expected) {
    const got = observed.get(effect)?.count ?? 0;
    const missing = Math.max(0, want.count - got);
    const alerted = want.functions.some((fn) => deadLettered.has(fn));
    const fate: Fate =
      got > want.count
        ? 'doubled'
        : missing === 0
          ? 'done once'
          : alerted
            ? 'dead-lettered with an alert'
            : 'lost';
    totals['done once'] += Math.min(got, want.count);
    if (got > want.count) totals.doubled += got - want.count;
    if (missing > 0) totals[alerted ? 'dead-lettered with an alert' : 'lost'] += missing;
    lines.push({ effect, expected: want.count, observed: got, fate });
  }
  reportedPlainly(lines, totals);
  const unexpected = [...observed.keys()].filter((key) => !expected.has(key));
  return { lines, totals, unexpected };
};

// Alerts that tell one occasion, the first with what an earlier event taught the guard: a
// rollback's completion is "deployment completed" to a guard that has not seen the rollback's
// start (its event dead-lettered, or still on Lambda's retries when the completion arrived).
const OCCASIONS: readonly [RegExp, string][] = [
  [/ rollback completed: back on \S+$/, ' deployment completed'],
];
const occasionOf = (effect: string): string =>
  OCCASIONS.reduce((key, [pattern, plain]) => key.replace(pattern, plain), effect);

/**
 * Alerts seen more often than expected that stand for missing alerts of the same occasion (and
 * channel) are not doubles: each occasion was told once, titled without what an event that came
 * late or never said. Moves what they account for to done once, marking lines so covered.
 */
const reportedPlainly = (lines: AccountLine[], totals: Record<Fate, number>): void => {
  const deficits = new Map(
    lines
      .filter((l) => l.fate === 'lost' || l.fate === 'dead-lettered with an alert')
      .map((l) => [l, l.expected - l.observed] as const),
  );
  for (const line of lines.filter((l) => l.fate === 'doubled')) {
    let extra = line.observed - line.expected;
    for (const [other, deficit] of deficits) {
      if (extra === 0) break;
      if (deficit === 0 || occasionOf(other.effect) !== occasionOf(line.effect)) continue;
      const taken = Math.min(extra, deficit);
      deficits.set(other, deficit - taken);
      extra -= taken;
      totals.doubled -= taken;
      totals[other.fate] -= taken;
      totals['done once'] += taken;
      if (deficit === taken) other.fate = 'done once';
    }
    if (extra === 0) line.fate = 'done once';
  }
};

/** The account as lines of text, totals first. */
const formatAccount = (account: Account, header: string): string[] => {
  const { totals } = account;
  const expected = account.lines.reduce((sum, l) => sum + l.expected, 0);
  return [
    header,
    `  ${expected} side effects expected: ${totals['done once']} done once, ${totals['dead-lettered with an alert']} dead-lettered with an alert, ${totals.lost} lost, ${totals.doubled} doubled`,
    ...account.lines
      .filter((l) => l.fate !== 'done once')
      .map((l) => `  ${l.fate}: ${l.effect} (expected ${l.expected}, seen ${l.observed})`),
    ...account.unexpected.map((key) => `  unexpected: ${key}`),
  ];
};

export { type Account, accountFor, compareEffects, type Fate, formatAccount };
