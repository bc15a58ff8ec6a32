import { describe, expect, it } from 'vitest';
import { parseAssignment, scenariosOf, splitAssignments } from '#apps/replay/what-if.ts';

describe('replay --set and --compare', () => {
  it.each<[string, (string | number)[], unknown]>([
    ['deploymentGuard.failedTasks.count=2', ['deploymentGuard', 'failedTasks', 'count'], 2],
    ['deploymentGuard.mode=notify', ['deploymentGuard', 'mode'], 'notify'],
    [
      'deploymentGuard.alarms.names=[web-5xx, web-latency]',
      ['deploymentGuard', 'alarms', 'names'],
      ['web-5xx', 'web-latency'],
    ],
    [
      'deploymentGuard.services[0].bakeMinutes=0',
      ['deploymentGuard', 'services', 0, 'bakeMinutes'],
      0,
    ],
    ['dryRun=true', ['dryRun'], true],
  ])('reads %s', (text, path, value) => {
    // Assess
    expect(parseAssignment(text)).toStrictEqual({ text, path, value });
  });

  it('splits a --compare argument on spaces outside brackets and quotes', () => {
    // Assess
    expect(splitAssignments("a.b=1  c.d=[x, y] e='p q'")).toStrictEqual([
      'a.b=1',
      'c.d=[x, y]',
      "e='p q'",
    ]);
  });

  it('applies overrides over the file, validated like it: a bad key or value names the field', () => {
    // Act
    const [base, compared] = scenariosOf(
      { deploymentGuard: { failedTasks: { count: 4 } } },
      'harbormaster.yml',
      ['deploymentGuard.deadline.minutes=10'],
      ['deploymentGuard.failedTasks.count=2'],
    );
    // Assess
    expect(base?.config.deploymentGuard.failedTasks.count).toBe(4);
    expect(base?.config.deploymentGuard.deadline.minutes).toBe(10);
    expect(compared?.name).toBe('deploymentGuard.failedTasks.count=2');
    expect(compared?.config.deploymentGuard.failedTasks.count).toBe(2);
    expect(compared?.config.deploymentGuard.deadline.minutes).toBe(10);
    expect(() =>
      scenariosOf({}, 'harbormaster.yml', ['deploymentGuard.failedTasks.count=0'], []),
    ).toThrow(
      /harbormaster.yml with deploymentGuard.failedTasks.count=0[\s\S]*deploymentGuard.failedTasks.count/,
    );
    expect(() => parseAssignment('deploymentGuard')).toThrow(/expected key=value/);
  });
});
