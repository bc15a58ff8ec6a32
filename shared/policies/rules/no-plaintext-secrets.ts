import * as v from 'valibot';
import { containerLabel, containersOf, isObject } from '../documents.ts';
import { matchesAnyGlob } from '../glob.ts';
import { hasPlaceholder } from '../placeholders.ts';
import {
  credentialShape,
  hasUserInfo,
  isConnectionName,
  isCredentialName,
} from '../secret-shapes.ts';
import { defineRule, type FieldPath, type Violation } from '../types.ts';

interface Options {
  allowNames: readonly string[];
  extraNames: readonly string[];
}

const nameIsCredential = (name: string, options: Options): boolean =>
  !matchesAnyGlob(name, options.allowNames) &&
  (isCredentialName(name) || matchesAnyGlob(name, options.extraNames));

interface Where {
  target: 'taskDefinition' | 'run';
  path: FieldPath;
  container: string;
  what: string;
}

const at = (where: Where, ...rest: (string | number)[]) => ({
  target: where.target,
  path: [...where.path, ...rest],
  container: where.container,
});

/** Name/value pairs (environment, RunTask overrides): by name, then by value. */
const checkPairs = (list: unknown, where: Where, options: Options): Violation[] => {
  if (!Array.isArray(list)) return [];
  const violations: Violation[] = [];
  list.forEach((variable: unknown, index) => {
    if (!isObject(variable) || typeof variable.name !== 'string') return;
    const { name, value } = variable;
    if (matchesAnyGlob(name, options.allowNames)) return;
    const text = typeof value === 'string' ? value : undefined;
    // The value's shape first: it says more than the name ("looks like an AWS access key ID").
    const shape = text === undefined ? undefined : credentialShape(text);
    if (shape) {
      violations.push({
        message: `${where.what}: the value of environment variable ${name} looks like ${shape}`,
        location: at(where, index, 'value'),
      });
      return;
    }
    if (text !== undefined && isConnectionName(name) && !matchesAnyGlob(name, options.extraNames)) {
      if (hasUserInfo(text) && !hasPlaceholder(text.slice(0, text.indexOf('@')))) {
        violations.push({
          message: `${where.what}: environment variable ${name} is a connection string with credentials, passed in plaintext`,
          location: at(where, index, 'value'),
        });
      }
      return;
    }
    if (nameIsCredential(name, options) && value !== '' && value !== undefined) {
      violations.push({
        message: `${where.what}: environment variable ${name} is named like a credential but is passed in plaintext`,
        location: at(where, index, 'name'),
      });
    }
  });
  return violations;
};

const NAME_CHAR = /[A-Za-z0-9_.-]/;
const MAX_NAME = 80;

/**
 * The `name=value` assignments in a command word (`--password=...`, `export API_KEY=...`): each
 * "=" is found with indexOf and its name read backwards, stopping at the previous "=" or after 80
 * characters, so the scan is linear in the word.
 */
const assignments = function* (word: string): Generator<{ name: string; valueHead: string }> {
  let at = word.indexOf('=');
  let floor = 0;
  while (at !== -1) {
    let start = at;
    while (start > floor && at - start < MAX_NAME && NAME_CHAR.test(word[start - 1] ?? ''))
      start -= 1;
    const name = word.slice(start, at).replace(/^[-.]+/, '');
    if (name !== '' && /^[A-Za-z]/.test(name))
      yield { name, valueHead: word.slice(at + 1, at + 3) };
    floor = at + 1;
    at = word.indexOf('=', floor);
  }
};

/** Words of a command (command, entryPoint, healthCheck.command): shapes and name=value pairs. */
const checkWords = (words: unknown, field: string, where: Where, options: Options): Violation[] => {
  if (!Array.isArray(words)) return [];
  const violations: Violation[] = [];
  words.forEach((word: unknown, index) => {
    if (typeof word !== 'string') return;
    const path =
      field === 'healthCheck.command' ? ['healthCheck', 'command', index] : [field, index];
    const shape = credentialShape(word);
    if (shape) {
      violations.push({
        message: `${where.what}: ${field}[${index}] holds ${shape}`,
        location: at(where, ...path),
      });
      return;
    }
    for (const { name, valueHead: head } of assignments(word)) {
      if (head === '' || /^\s/.test(head)) continue;
      if (nameIsCredential(name, options) && !head.startsWith('$') && head !== '{{') {
        violations.push({
          message: `${where.what}: ${field}[${index}] sets ${name} in plaintext`,
          location: at(where, ...path),
        });
        return;
      }
    }
  });
  return violations;
};

/** Docker labels: a credential-like label name with a value, or a value shaped like a credential. */
const checkLabels = (labels: unknown, where: Where, options: Options): Violation[] => {
  if (!isObject(labels)) return [];
  return Object.entries(labels).flatMap(([name, value]): Violation[] => {
    if (typeof value !== 'string' || value === '' || matchesAnyGlob(name, options.allowNames))
      return [];
    const shape = credentialShape(value);
    if (shape) {
      return [
        {
          message: `${where.what}: the value of docker label ${name} looks like ${shape}`,
          location: at(where, 'dockerLabels', name),
        },
      ];
    }
    return nameIsCredential(name, options) && !hasPlaceholder(value)
      ? [
          {
            message: `${where.what}: docker label ${name} is named like a credential`,
            location: at(where, 'dockerLabels', name),
          },
        ]
      : [];
  });
};

/**
 * No credentials in plaintext: environment variables, command lines, entry points, Docker labels
 * and health check commands, in the task definition or RunTask's overrides. Findings name the
 * field and what it looks like, never the value.
 */
const noPlaintextSecrets = defineRule({
  id: 'no-plaintext-secrets',
  title: 'No credentials in plaintext environment variables, commands or labels',
  rationale:
    'Plaintext values in a task definition are readable by anyone allowed DescribeTaskDefinition, are copied into CloudTrail\u2019s record of RegisterTaskDefinition, and stay in every revision forever (deregistering does not delete them).',
  fix: 'Move the value to the container\u2019s secrets list (valueFrom a Secrets Manager secret or an SSM SecureString parameter) and read it from the environment in the command, then rotate the credential: it is already in CloudTrail and in this revision.',
  appliesTo: 'container definitions and RunTask overrides',
  severity: 'critical',
  controls: ['CT.ECS.PR.12'],
  targets: ['taskDefinition', 'run'],
  options: () => ({
    /** Variable name globs that are not credentials despite their name (e.g. "CSRF_TOKEN"). */
    allowNames: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
    /** More variable name globs to treat as credentials (e.g. "*_CONN"). */
    extraNames: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
  }),
  check: ({ taskDefinition, run }, options) => {
    const containers = taskDefinition ? containersOf(taskDefinition) : [];
    const overrides = Array.isArray(run?.overrides?.containerOverrides)
      ? run.overrides.containerOverrides
      : [];
    if (containers.length === 0 && overrides.length === 0) {
      return { notApplicable: 'there is no container definition or RunTask override to read' };
    }
    const violations = containers.flatMap(({ container, index }) => {
      const name = containerLabel(container, index);
      const where: Where = {
        target: 'taskDefinition',
        path: ['containerDefinitions', index],
        container: name,
        what: `container ${name}`,
      };
      const health: unknown = container.healthCheck;
      return [
        ...checkPairs(
          container.environment,
          { ...where, path: [...where.path, 'environment'] },
          options,
        ),
        ...checkWords(container.entryPoint, 'entryPoint', where, options),
        ...checkWords(container.command, 'command', where, options),
        ...checkWords(
          isObject(health) ? health.command : undefined,
          'healthCheck.command',
          where,
          options,
        ),
        ...checkLabels(container.dockerLabels, where, options),
      ];
    });
    overrides.forEach((override: unknown, index) => {
      if (!isObject(override)) return;
      const name = typeof override.name === 'string' ? override.name : `#${index}`;
      const where: Where = {
        target: 'run',
        path: ['overrides', 'containerOverrides', index],
        container: name,
        what: `the RunTask override of container ${name}`,
      };
      violations.push(
        ...checkPairs(
          override.environment,
          { ...where, path: [...where.path, 'environment'] },
          options,
        ),
        ...checkWords(override.command, 'command', where, options),
      );
    });
    return violations;
  },
});

export { credentialShape, nameIsCredential, noPlaintextSecrets };
