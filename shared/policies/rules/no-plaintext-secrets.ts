import * as v from 'valibot';
import { containerLabel, containersOf, isObject } from '../documents.ts';
import { matchesAnyGlob } from '../glob.ts';
import { defineRule, type FieldPath, type Violation } from '../types.ts';

// Names Control Tower's CT.ECS.PR.12 forbids, and others that are credentials by definition.
const CREDENTIAL_NAMES = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'ECS_ENGINE_AUTH_DATA',
  'SECRET_KEY_BASE',
]);

// A name that ends with a credential word (DB_PASSWORD, GITHUB_TOKEN, STRIPE_API_KEY). Names that
// merely point to a secret (PASSWORD_FILE, TOKEN_URL, SECRET_ARN) end with another word and pass.
const CREDENTIAL_NAME =
  /(?:^|[_.-])(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRET_?KEY|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

/** Shapes of well-known credentials, by what they are (the name is what a finding says). */
const CREDENTIAL_VALUES: readonly [string, RegExp][] = [
  ['an AWS access key ID', /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  [
    'a Slack webhook URL',
    /hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/,
  ],
  ['a Stripe live key', /\b[rs]k_live_[A-Za-z0-9]{16,}/],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ['a URL with a password', /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@/i],
];

interface Options {
  allowNames: readonly string[];
  extraNames: readonly string[];
}

const nameIsCredential = (name: string, options: Options): boolean =>
  !matchesAnyGlob(name, options.allowNames) &&
  (CREDENTIAL_NAMES.has(name.toUpperCase()) ||
    CREDENTIAL_NAME.test(name) ||
    matchesAnyGlob(name, options.extraNames));

/** What a value looks like, if it looks like a credential; never the value itself. */
const credentialShape = (value: string): string | undefined =>
  CREDENTIAL_VALUES.find(([, pattern]) => pattern.test(value))?.[0];

/** The violations of one environment list; messages name the variable and never its value. */
const checkEnvironment = (
  environment: unknown,
  where: { target: 'taskDefinition' | 'run'; path: FieldPath; container: string; what: string },
  options: Options,
): Violation[] => {
  if (!Array.isArray(environment)) return [];
  const violations: Violation[] = [];
  environment.forEach((variable: unknown, index) => {
    if (!isObject(variable) || typeof variable.name !== 'string') return;
    const { name } = variable;
    const at = (field: string) => ({
      target: where.target,
      path: [...where.path, index, field],
      container: where.container,
    });
    if (nameIsCredential(name, options)) {
      violations.push({
        message: `${where.what}: environment variable ${name} is named like a credential but is passed in plaintext`,
        location: at('name'),
      });
      return;
    }
    const shape =
      typeof variable.value === 'string' && !matchesAnyGlob(name, options.allowNames)
        ? credentialShape(variable.value)
        : undefined;
    if (shape) {
      violations.push({
        message: `${where.what}: the value of environment variable ${name} looks like ${shape}`,
        location: at('value'),
      });
    }
  });
  return violations;
};

/**
 * No credentials in plaintext environment variables, in the task definition or in RunTask's
 * overrides. Findings name the variable and what it looks like, never its value.
 */
const noPlaintextSecrets = defineRule({
  id: 'no-plaintext-secrets',
  title: 'No credentials in plaintext environment variables',
  rationale:
    'Plaintext environment variables are readable by anyone allowed DescribeTaskDefinition, are copied into CloudTrail\u2019s record of RegisterTaskDefinition, and stay in every revision forever (deregistering does not delete them).',
  fix: 'Move the variable to the container\u2019s secrets list (valueFrom a Secrets Manager secret or an SSM SecureString parameter), then rotate the credential: it is already in CloudTrail and in this revision.',
  severity: 'critical',
  controls: ['CT.ECS.PR.12'],
  targets: ['taskDefinition', 'run'],
  options: () => ({
    /** Variable name globs that are not credentials despite their name (e.g. "CSRF_TOKEN"). */
    allowNames: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
    /** More variable name globs to treat as credentials (e.g. "*_DSN"). */
    extraNames: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
  }),
  check: ({ taskDefinition, run }, options) => {
    const containers = taskDefinition ? containersOf(taskDefinition) : [];
    const overrides = Array.isArray(run?.overrides?.containerOverrides)
      ? run.overrides.containerOverrides
      : [];
    if (containers.length === 0 && overrides.length === 0) return 'not-applicable';
    const violations = containers.flatMap(({ container, index }) => {
      const name = containerLabel(container, index);
      return checkEnvironment(
        container.environment,
        {
          target: 'taskDefinition',
          path: ['containerDefinitions', index, 'environment'],
          container: name,
          what: `container ${name}`,
        },
        options,
      );
    });
    overrides.forEach((override: unknown, index) => {
      if (!isObject(override)) return;
      const name = typeof override.name === 'string' ? override.name : `#${index}`;
      violations.push(
        ...checkEnvironment(
          override.environment,
          {
            target: 'run',
            path: ['overrides', 'containerOverrides', index, 'environment'],
            container: name,
            what: `the RunTask override of container ${name}`,
          },
          options,
        ),
      );
    });
    return violations;
  },
});

export { credentialShape, nameIsCredential, noPlaintextSecrets };
