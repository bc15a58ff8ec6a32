import { Bench } from 'tinybench';
import { parseConfig } from '#config/parse.ts';
import { type PolicySubject, windowsSignal } from '#policies/documents.ts';
import { evaluatePolicy } from '#policies/engine.ts';
import { matchesGlob } from '#policies/glob.ts';
import { parseImageReference } from '#policies/image-reference.ts';
import { OPERATORS, prepareOperand } from '#policies/operators.ts';
import { hasPlaceholder, isImagePlaceholder } from '#policies/placeholders.ts';
import { RULES } from '#policies/rules/index.ts';
import {
  credentialShape,
  hasUrlWithPassword,
  hasUserInfo,
  isConnectionName,
  isCredentialName,
} from '#policies/secret-shapes.ts';
import { compliantContainer, compliantTaskDefinition } from '#support/task-definitions.ts';

const KB256 = 256 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil(KB256 / unit.length)).slice(0, KB256);

/** Inputs shaped to make a backtracking pattern retry from every position. */
const ADVERSARIAL: Record<string, string> = {
  letters: fill('a'),
  'scheme and colons': `x://${fill('a:')}`,
  'JWT-like runs': fill('eyJ-'),
  'private key header': `-----BEGIN ${fill('A')}`,
  'GitHub token prefixes': fill('ghp_'),
  'Slack webhook path': `hooks.slack.com/services/T${fill('a')}`,
  assignments: fill('PASSWORD'),
  'shouted token': `${fill('A_')}!`,
  'dollar names': fill('$A'),
  'path separators': fill('C:/'),
};

const TARGET_MS = 50;

interface Latency {
  mean: number;
  sd: number;
  p99: number;
  min: number;
  max: number;
  samplesCount: number;
}

const line = (name: string, l: Latency): string =>
  `${name.padEnd(46)} ${l.mean.toFixed(2).padStart(6)} ± ${l.sd.toFixed(2).padStart(5)} ms  p99 ${l.p99.toFixed(2).padStart(6)}  (${l.min.toFixed(2)}-${l.max.toFixed(2)}, ${l.samplesCount} runs)${l.p99 < TARGET_MS ? '' : '  MISSED'}`;

/** Every classifier and matcher of the policies wing, and every rule, on 256 KB inputs. */
const linearMatchingBench = async (): Promise<string[]> => {
  const bench = new Bench({ time: 100, warmupTime: 20, iterations: 20 });
  for (const [name, text] of Object.entries(ADVERSARIAL)) {
    bench.add(`credentialShape: ${name}`, () => credentialShape(text));
  }
  const letters = ADVERSARIAL.letters ?? '';
  const colons = ADVERSARIAL['scheme and colons'] ?? '';
  bench.add('hasUrlWithPassword: scheme and colons', () => hasUrlWithPassword(colons));
  bench.add('hasUserInfo: scheme and colons', () => hasUserInfo(colons));
  bench.add('isCredentialName: 256 KB name', () => isCredentialName(fill('A_')));
  bench.add('isConnectionName: 256 KB name', () => isConnectionName(fill('DSN_')));
  bench.add('hasPlaceholder: dollar names', () => hasPlaceholder(ADVERSARIAL['dollar names']));
  bench.add('isImagePlaceholder: shouted token', () =>
    isImagePlaceholder(ADVERSARIAL['shouted token']),
  );
  bench.add('parseImageReference: 256 KB digest', () =>
    parseImageReference(`a@sha256:${fill('a')}!`),
  );
  bench.add('glob *a*a*a*a*b (string search)', () => matchesGlob(`${letters}c`, '*a*a*a*a*b'));
  bench.add('glob *aaaaaaab* (string search)', () => matchesGlob(letters, '*aaaaaaab*'));
  bench.add('glob *a?a*a[b] (wildcard scan)', () => matchesGlob(letters, '*a?a*a[b]'));
  const regex = prepareOperand('regex', '(a+)+$');
  bench.add('value filter regex (a+)+$ (RE2)', () => OPERATORS.regex(`${letters}!`, regex));
  // A 256 KB task definition: the adversarial text spread over every field rules read as text.
  const FIELDS = 12;
  const document = (text: string) => {
    const part = text.slice(0, Math.floor(KB256 / FIELDS));
    return compliantTaskDefinition({
      family: part,
      networkMode: part as never,
      containerDefinitions: [
        compliantContainer({
          image: `nginx:${part}`,
          user: part,
          command: [part, part],
          entryPoint: [part],
          workingDirectory: part,
          environment: [
            { name: 'BIG', value: part },
            { name: part, value: 'x' },
          ],
          dockerLabels: { big: part },
          healthCheck: { command: ['CMD-SHELL', part] },
          mountPoints: [{ sourceVolume: 'v', containerPath: part }],
        }),
      ],
      volumes: [{ name: 'v', host: { sourcePath: part } }],
    });
  };
  bench.add('windowsSignal: 256 KB document', () =>
    windowsSignal(document(ADVERSARIAL['path separators'] ?? '')),
  );
  const context = {
    now: new Date(),
    exemptionTag: 'harbormaster:exempt',
    tags: { 'harbormaster:exempt': fill('1 ') },
  };
  const documents = Object.values(ADVERSARIAL).map(
    (text) => ({ taskDefinition: document(text) }) satisfies PolicySubject,
  );
  const rules = Object.values(RULES).filter((r) => r.targets.includes('taskDefinition'));
  for (const rule of rules) {
    const [policy] = parseConfig(
      {
        policies: [
          {
            name: 'p',
            resource: 'ecs-task-definition',
            mode: 'audit',
            filters: [{ type: rule.id }],
          },
        ],
      },
      'bench',
    ).policies;
    if (!policy) throw new Error('no policy');
    documents.forEach((subject, i) => {
      bench.add(`rule ${rule.id} #${i}`, () => evaluatePolicy(policy, subject, context));
    });
  }
  await bench.run();
  const lines = [
    `Linear-time matching on 256 KB inputs (target: p99 under ${TARGET_MS} ms; mean ± sd, p99, min-max; a lone max above the p99 is a garbage collection pause)`,
  ];
  let worst = 0;
  const ruleWorst = new Map<string, Latency>();
  for (const task of bench.tasks) {
    const match = /^rule (\S+) #\d+$/.exec(task.name);
    if (match && task.result.state === 'completed') {
      const { latency } = task.result;
      worst = Math.max(worst, latency.p99);
      const seen = ruleWorst.get(match[1] ?? '');
      if (!seen || latency.p99 > seen.p99) ruleWorst.set(match[1] ?? '', latency);
      continue;
    }
    if (task.result.state !== 'completed') {
      lines.push(`${task.name.padEnd(52)} did not complete`);
      continue;
    }
    const { latency } = task.result;
    worst = Math.max(worst, latency.p99);
    lines.push(line(task.name, latency));
  }
  lines.push(`Each rule on ten 256 KB adversarial task definitions (the slowest document shown):`);
  for (const [id, latency] of ruleWorst) lines.push(line(`rule ${id}`, latency));
  lines.push(`slowest p99: ${worst.toFixed(2)} ms${worst < TARGET_MS ? '  met' : '  MISSED'}`);
  return lines;
};

export { linearMatchingBench };
