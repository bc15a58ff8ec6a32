import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import { ConfigError } from '#kernel/errors.ts';

const NETWORK = { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] };
const VALID = {
  schedule: 'cron(0 2 * * ? *)',
  timezone: 'Europe/Berlin',
  cluster: 'batch',
  taskDefinition: 'report',
  count: 25,
  launchType: 'FARGATE',
  network: NETWORK,
};

const problemsOf = (job: Record<string, unknown>, name = 'nightly-report'): string[] => {
  try {
    parseConfig({ batchJobs: { jobs: { [name]: job } } }, 'test');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
};

describe('Configuration: batchJobs', () => {
  it('accepts a complete job and fills the defaults', () => {
    // Act
    const config = parseConfig({ batchJobs: { jobs: { 'nightly-report': VALID } } }, 'test');
    // Assess
    expect(config.batchJobs.jobs['nightly-report']).toMatchObject({
      enabled: true,
      concurrencyPolicy: 'Forbid',
      startWindowMinutes: 10,
      deadlineMinutes: 1440,
      retries: { attempts: 2, backoffSeconds: 60, startFailures: true },
      alerts: { onSuccess: true },
      network: { assignPublicIp: 'DISABLED' },
    });
    expect(config.batchJobs.runTaskPacing).toStrictEqual({
      callsPerSecond: 20,
      tasksPerSecond: 20,
      taskBurst: 100,
    });
  });

  it.each([
    [
      'an invalid schedule expression',
      { ...VALID, schedule: 'cron(0 2 * * * *)' },
      [
        'batchJobs.jobs.nightly-report.schedule: invalid schedule expression "cron(0 2 * * * *)": exactly one of day-of-month and day-of-week must be "?"',
      ],
    ],
    [
      'a five-field Unix cron',
      { ...VALID, schedule: 'cron(0 2 * * *)' },
      [
        'batchJobs.jobs.nightly-report.schedule: invalid schedule expression "cron(0 2 * * *)": cron() takes 6 fields (minutes hours day-of-month month day-of-week year), got 5',
      ],
    ],
    [
      'an unknown time zone',
      { ...VALID, timezone: 'Europe/Atlantis' },
      [
        'batchJobs.jobs.nightly-report.timezone: unknown time zone "Europe/Atlantis" (expected an IANA name such as Europe/Berlin)',
      ],
    ],
    [
      'a task count below 1',
      { ...VALID, count: 0 },
      ['batchJobs.jobs.nightly-report.count: too small: expected >=1, received 0'],
    ],
    [
      'a Fargate job without a network configuration',
      { ...VALID, network: undefined },
      [
        'batchJobs.jobs.nightly-report.network: required: Fargate tasks use the awsvpc network mode (subnets, security groups)',
      ],
    ],
    [
      'a Fargate Spot strategy without a network configuration',
      {
        ...VALID,
        launchType: undefined,
        network: undefined,
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      },
      [
        'batchJobs.jobs.nightly-report.network: required: Fargate tasks use the awsvpc network mode (subnets, security groups)',
      ],
    ],
    [
      'both a launch type and a strategy',
      { ...VALID, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] },
      [
        'batchJobs.jobs.nightly-report.capacityProviderStrategy: give either launchType or capacityProviderStrategy, not both',
      ],
    ],
    [
      'a start window longer than the deadline',
      { ...VALID, startWindowMinutes: 90, deadlineMinutes: 60 },
      ['batchJobs.jobs.nightly-report.startWindowMinutes: must not exceed deadlineMinutes'],
    ],
    [
      'a reserved tag key',
      { ...VALID, tags: { 'aws:owner': 'x' } },
      ['batchJobs.jobs.nightly-report.tags.aws:owner: the aws: prefix is reserved'],
    ],
    [
      'an unknown concurrency policy and a misspelt field',
      { ...VALID, concurrencyPolicy: 'Queue', retry: {} },
      [
        'batchJobs.jobs.nightly-report.retry: unknown field',
        'batchJobs.jobs.nightly-report.concurrencyPolicy: expected one of "Allow", "Forbid", "Replace", received "Queue"',
      ],
    ],
  ])('names the job and the field for %s', (_label, job, expected) => {
    // Assess
    expect(problemsOf(job as Record<string, unknown>).sort()).toStrictEqual([...expected].sort());
  });

  it('accepts an EC2 job without a network configuration (checked against the task definition at run time)', () => {
    // Assess
    expect(problemsOf({ ...VALID, launchType: 'EC2', network: undefined })).toStrictEqual([]);
  });

  it('names a job whose name cannot be a schedule name or part of startedBy', () => {
    // Assess
    expect(problemsOf(VALID, 'nightly report!')).toStrictEqual([
      'batchJobs.jobs.nightly report!: job names are 1-48 letters, digits, "-" and "_", starting with a letter or digit',
    ]);
  });
});
