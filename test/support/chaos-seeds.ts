import { beforeAll, describe, expect, it } from 'vitest';
import type { EffectCounts } from '#apps/local/chaos/effects.ts';
import { expectedEffects, runChaos } from '#apps/local/chaos/run-chaos.ts';

// `npm start -- --chaos` over seeds, at its default rates: throttling and 5xx on any call,
// DynamoDB writes applied with their answers lost, and attempts killed right after a lease claim,
// retried as Lambda retries asynchronous invocations (1 and 2 minutes later, then the on-failure
// destination). Every side effect the fault-free run makes is done exactly once, or ends in the
// dead-letter path with an alert: none lost, none doubled, no ECS change the fault-free run lacks.
// A seed fixes the faults drawn, not the order concurrent calls reach the endpoint, so two runs of
// one seed may meet different faults.

/** The seeds `from`..`to` as one test file's cases (two files share the 20, on two workers). */
const chaosSeeds = (from: number, to: number): void => {
  describe(`chaos mode, seeds ${from} to ${to}: nothing lost, nothing doubled`, () => {
    let expected: EffectCounts;
    beforeAll(async () => {
      expected = await expectedEffects(undefined);
    }, 60_000);

    it.each(Array.from({ length: to - from + 1 }, (_, i) => from + i))(
      'seed %i: every expected side effect done once or dead-lettered with an alert',
      async (seed) => {
        // Act
        const run = await runChaos({ seed, expected });
        // Assess: faults did happen, and their account balances
        expect(run.failedAttempts).toBeGreaterThan(0);
        // (By line, so that a failure names the effect.)
        expect(
          run.account.lines.filter((l) => l.fate === 'lost' || l.fate === 'doubled'),
        ).toStrictEqual([]);
        expect(run.account.totals.lost).toBe(0);
        expect(run.account.totals.doubled).toBe(0);
        // Nothing done in ECS that the fault-free run did not do. (An alert may be: when an
        // invocation is dead-lettered, later ones can only report what they know, e.g. that a
        // deployment whose start was lost cannot be rolled back.)
        expect(run.account.unexpected.filter((key) => !/^(sns|slack) /.test(key))).toStrictEqual(
          [],
        );
        const expectedTotal = [...expected.values()].reduce((n, e) => n + e.count, 0);
        expect(
          run.account.totals['done once'] + run.account.totals['dead-lettered with an alert'],
        ).toBe(expectedTotal);
      },
      60_000,
    );
  });
};

export { chaosSeeds };
