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
    ['AMH_OPENAI_KEY'],
    ['ENC_KEY'],
    ['SENTRY_AUTH_TOKEN'],
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
    expect(verdict(checkRule(noPlaintextSecrets, { run: { launchType: 'FARGATE' } }))).toBe(
      'not-applicable',
    );
  });

  it('Noncompliance: credentials in command, entryPoint, docker labels and health checks, never echoed', () => {
    // Prepare: the ECS agent's privileged test task with credentials put where real documents hide them.
    const td = withContainer({
      command: ['sh', '-c', 'mysql --password=s3cr3t-value -h db'],
      entryPoint: ['sh', '-c', `export AWS_ACCESS_KEY_ID=${ACCESS_KEY_ID} && exec app`],
      dockerLabels: { 'traefik.http.middlewares.auth': DATABASE_URL, API_TOKEN: 'abc123' },
      healthCheck: { command: ['CMD-SHELL', `curl -H "x: ${GITHUB_TOKEN}" localhost`] },
    });
    // Act
    const outcome = checkRule(noPlaintextSecrets, { taskDefinition: td });
    // Assess
    expect(verdict(outcome)).toStrictEqual([
      'container app: entryPoint[2] holds an AWS access key ID',
      'container app: command[2] sets password in plaintext',
      'container app: healthCheck.command[1] holds a GitHub token',
      'container app: the value of docker label traefik.http.middlewares.auth looks like a URL with a password',
      'container app: docker label API_TOKEN is named like a credential',
    ]);
    for (const secret of ['s3cr3t-value', ACCESS_KEY_ID, GITHUB_TOKEN, 'hunter2', 'abc123']) {
      expect(JSON.stringify(outcome)).not.toContain(secret);
    }
  });

  it('Compliance: a connection string without credentials, and placeholders for them', () => {
    // Assess
    expect(
      verdict(
        checkRule(
          noPlaintextSecrets,
          env([
            { name: 'SPRING_DATASOURCE_URL', value: '${database_url}' },
            { name: 'DATABASE_URL', value: 'postgres://${DB_USER}:${DB_PASS}@db:5432/app' },
          ]),
        ),
      ),
    ).toBe('compliant');
    expect(
      verdict(
        checkRule(noPlaintextSecrets, {
          taskDefinition: withContainer({ command: ['app', '--password=${DB_PASSWORD}'] }),
        }),
      ),
    ).toBe('compliant');
  });

  it('Noncompliance: a DSN whose URL carries its key', () => {
    // Assess
    expect(
      verdict(
        checkRule(
          noPlaintextSecrets,
          env([{ name: 'SENTRY_DSN', value: 'https://k3y@o1.ingest.sentry.io/2' }]),
        ),
      ),
    ).toStrictEqual([
      'container app: environment variable SENTRY_DSN is a connection string with credentials, passed in plaintext',
    ]);
  });

  it('Behaviour on 256 KB values: a credential URL at the end is found; adversarial text finds nothing', () => {
    // Prepare: text shaped to make a backtracking credential-URL pattern retry from every position.
    const filler = 'a'.repeat(256 * 1024);
    const colons = `x://${'a:'.repeat(128 * 1024)}`;
    const jwtish = 'eyJ-'.repeat(64 * 1024);
    // Act
    const found = checkRule(
      noPlaintextSecrets,
      env([{ name: 'BIG', value: `${filler} ${DATABASE_URL}` }]),
    );
    const none = checkRule(
      noPlaintextSecrets,
      env([
        { name: 'A', value: filler },
        { name: 'B', value: colons },
        { name: 'C', value: jwtish },
      ]),
    );
    // Assess
    expect(verdict(found)).toStrictEqual([
      'container app: the value of environment variable BIG looks like a URL with a password',
    ]);
    expect(verdict(none)).toBe('compliant');
  });
});
