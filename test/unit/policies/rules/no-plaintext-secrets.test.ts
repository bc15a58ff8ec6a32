import { describe, expect, it } from 'vitest';
import { noPlaintextSecrets } from '#policies/rules/no-plaintext-secrets.ts';
import { checkRule, verdict, withContainer } from '#support/task-definitions.ts';

// Credential-shaped test values, assembled so that no scanner mistakes this file for a leak.
const ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const GITHUB_TOKEN = `ghp_${'x1Y2'.repeat(9)}`;
const DATABASE_URL = ['postgres://app', ':', 'hunter2', '@db.internal:5432/app'].join('');

const env = (environment: { name: string; value: string }[]) => ({
  taskDefinition: withContainer({ environment }),
});

describe('Rule: no-plaintext-secrets (CT.ECS.PR.12 and more)', () => {
  it.each([
    ['AWS_SECRET_ACCESS_KEY'],
    ['AWS_ACCESS_KEY_ID'],
    ['ECS_ENGINE_AUTH_DATA'],
    ['DB_PASSWORD'],
    ['github_token'],
    ['STRIPE_API_KEY'],
    ['CLIENT_SECRET'],
  ])('Noncompliance: a variable named like a credential (%s)', (name) => {
    // Act
    const outcome = checkRule(noPlaintextSecrets, env([{ name, value: 'hunter2' }]));
    // Assess
    expect(outcome).toStrictEqual([
      {
        message: `container app: environment variable ${name} is named like a credential but is passed in plaintext`,
        location: {
          target: 'taskDefinition',
          path: ['containerDefinitions', 0, 'environment', 0, 'name'],
          container: 'app',
        },
      },
    ]);
  });

  it.each([
    ['SETTING', ACCESS_KEY_ID, 'an AWS access key ID'],
    ['CI', GITHUB_TOKEN, 'a GitHub token'],
    ['DATABASE_URL', DATABASE_URL, 'a URL with a password'],
    ['TLS', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...', 'a private key'],
  ])('Noncompliance: a value that looks like a credential (%s)', (name, value, shape) => {
    // Act
    const outcome = checkRule(noPlaintextSecrets, env([{ name, value }]));
    // Assess
    expect(verdict(outcome)).toStrictEqual([
      `container app: the value of environment variable ${name} looks like ${shape}`,
    ]);
    expect(JSON.stringify(outcome)).not.toContain(value.slice(0, 12));
  });

  it('Noncompliance: a credential passed in a RunTask override', () => {
    // Act
    const outcome = checkRule(noPlaintextSecrets, {
      run: {
        overrides: {
          containerOverrides: [{ name: 'job', environment: [{ name: 'API_KEY', value: 'k' }] }],
        },
      },
    });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message:
          'the RunTask override of container job: environment variable API_KEY is named like a credential but is passed in plaintext',
        location: {
          target: 'run',
          path: ['overrides', 'containerOverrides', 0, 'environment', 0, 'name'],
          container: 'job',
        },
      },
    ]);
  });

  it('Compliance: ordinary variables, pointers to secrets, and the secrets list', () => {
    // Act
    const outcome = checkRule(
      noPlaintextSecrets,
      env([
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'PASSWORD_FILE', value: '/run/secrets/db' },
        { name: 'TOKEN_URL', value: 'https://auth.example.com/token' },
        { name: 'DATABASE_URL', value: 'postgres://db.internal:5432/app' },
        { name: 'PWD', value: '/app' },
      ]),
    );
    // Assess
    expect(verdict(outcome)).toBe('compliant');
  });

  it('Compliance: allowNames exempts a name; extraNames adds one', () => {
    // Assess
    expect(
      verdict(
        checkRule(noPlaintextSecrets, env([{ name: 'CSRF_TOKEN', value: 'x' }]), {
          allowNames: ['CSRF_*'],
        }),
      ),
    ).toBe('compliant');
    expect(
      verdict(
        checkRule(noPlaintextSecrets, env([{ name: 'SENTRY_DSN', value: 'x' }]), {
          extraNames: ['*_DSN'],
        }),
      ),
    ).toHaveLength(1);
  });

  it('Not applicable: no containers and no overrides', () => {
    // Assess
    expect(checkRule(noPlaintextSecrets, { run: { launchType: 'FARGATE' } })).toBe(
      'not-applicable',
    );
  });
});
