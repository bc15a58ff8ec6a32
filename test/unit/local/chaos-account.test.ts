import { describe, expect, it } from 'vitest';
import { compareEffects } from '#apps/local/chaos/account.ts';
import type { EffectCounts } from '#apps/local/chaos/effects.ts';

const GUARD = ['deployment-guard'];
const counts = (entries: Record<string, number>): EffectCounts =>
  new Map(Object.entries(entries).map(([key, count]) => [key, { count, functions: GUARD }]));

describe('The chaos account', () => {
  const expected = counts({
    'sns prod/web deployment completed': 2,
    'sns prod/web rollback completed: back on web:2': 1,
    'UpdateService prod/payments payments:2': 1,
  });

  it('counts an action made twice as doubled, and one missing without a dead letter as lost', () => {
    // Act
    const account = compareEffects(
      expected,
      counts({
        'sns prod/web deployment completed': 2,
        'UpdateService prod/payments payments:2': 2,
      }),
      new Set(),
    );
    // Assess
    expect(account.totals).toStrictEqual({
      'done once': 3,
      'dead-lettered with an alert': 0,
      lost: 1,
      doubled: 1,
    });
  });

  it('takes a rollback’s completion told as "deployment completed" as sent once, dead letter or not', async () => {
    // Prepare: the guard had not seen the rollback's start (dead-lettered, or still on Lambda's
    // retries), so its completion went out under the plain title
    const observed = counts({
      'sns prod/web deployment completed': 3,
      'UpdateService prod/payments payments:2': 1,
    });
    // Act
    const afterDeadLetter = compareEffects(expected, observed, new Set(GUARD));
    const outOfOrder = compareEffects(expected, observed, new Set());
    // Assess
    for (const account of [afterDeadLetter, outOfOrder]) {
      expect(account.totals).toStrictEqual({
        'done once': 4,
        'dead-lettered with an alert': 0,
        lost: 0,
        doubled: 0,
      });
      expect(account.lines.map((l) => l.fate)).toStrictEqual([
        'done once',
        'done once',
        'done once',
      ]);
    }
  });

  it('still counts a double beyond what the missing alerts account for, and never across channels', async () => {
    // Act
    const account = compareEffects(
      expected,
      counts({
        'sns prod/web deployment completed': 4,
        'slack prod/web deployment completed': 1,
        'UpdateService prod/payments payments:2': 1,
      }),
      new Set(GUARD),
    );
    // Assess: one of the two extras stands for the missing rollback completion, one is a double
    expect(account.totals).toStrictEqual({
      'done once': 4,
      'dead-lettered with an alert': 0,
      lost: 0,
      doubled: 1,
    });
    expect(account.lines[0]?.fate).toBe('doubled');
  });
});
