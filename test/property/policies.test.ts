import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import { policyEnforcer } from '#functions/policy-enforcer/definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { createRuntime } from '#kernel/runtime.ts';
import type { PolicySubject } from '#policies/documents.ts';
import { evaluatePolicy } from '#policies/engine.ts';
import { RULES } from '#policies/rules/index.ts';
import { apiCallEvent, type Json } from '#support/events.ts';
import { fakePorts, RecordingChannel, recordingTelemetry } from '#support/fakes.ts';
import { hostileInput } from '#support/mutations.ts';
import {
  compliantService,
  compliantTaskDefinition,
  withContainer,
} from '#support/task-definitions.ts';

const RUNS = 2000;

const [EVERY_RULE] = parseConfig(
  {
    policies: [
      {
        name: 'every-rule',
        resource: 'ecs-service',
        filters: [
          ...Object.keys(RULES).map((type) => ({ type })),
          {
            type: 'value',
            id: 'custom',
            key: 'containerDefinitions[].environment[].value',
            op: 'regex',
            value: '.*',
          },
        ],
      },
    ],
  },
  'property test',
).policies;

/** A real-shaped document with one field replaced by arbitrary JSON, or arbitrary JSON outright. */
const hostileDocument = <T extends object>(base: T): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...Object.keys(base)), fc.jsonValue({ maxDepth: 3 }))
      .map(([key, value]) => ({ ...base, [key]: value })),
    fc.jsonValue({ maxDepth: 4 }),
    fc.anything(),
  );

describe('Property: every built-in rule on hostile documents', () => {
  it('evaluate malformed documents to findings, never to errors', () => {
    if (!EVERY_RULE) throw new Error('no policy');
    fc.assert(
      fc.property(
        hostileDocument(compliantTaskDefinition()),
        hostileDocument(compliantService()),
        (taskDefinition, service) => {
          // Act
          const result = evaluatePolicy(EVERY_RULE, { taskDefinition, service } as PolicySubject, {
            now: new Date(),
            exemptionTag: 'harbormaster:exempt',
            tags: {},
          });
          // Assess
          expect(result.findings.length).toBeGreaterThanOrEqual(EVERY_RULE.filters.length);
          for (const finding of result.findings) {
            expect(['compliant', 'non-compliant', 'not-applicable', 'error']).toContain(
              finding.status,
            );
          }
          // Built-in rules read defensively: malformed input is a finding, never a crash.
          expect(result.findings.filter((f) => f.status === 'error')).toStrictEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('Property: the policy enforcer on hostile events', () => {
  const config = parseConfig(
    {
      policies: [
        {
          name: 'definitions',
          resource: 'ecs-task-definition',
          mode: 'enforce',
          filters: Object.values(RULES)
            .filter((r) => r.targets.includes('taskDefinition'))
            .map((r) => ({ type: r.id })),
          actions: [{ type: 'tag' }, { type: 'deregister' }],
        },
        {
          name: 'services',
          resource: 'ecs-service',
          mode: 'enforce',
          filters: Object.keys(RULES).map((type) => ({ type })),
          actions: [{ type: 'rollback' }],
        },
        {
          name: 'tasks',
          resource: 'ecs-task',
          mode: 'enforce',
          filters: [
            { type: 'not-privileged' },
            { type: 'no-public-ip' },
            { type: 'no-plaintext-secrets' },
          ],
          actions: [{ type: 'stop' }],
        },
      ],
    },
    'property test',
  );
  // Every revision the events name exists, and breaks rules, so that decisions reach enforcement.
  const anyRevision = new Proxy(
    {},
    { get: () => ({ definition: withContainer({ privileged: true, image: 'nginx' }), tags: {} }) },
  );
  const cloudTrail = fc
    .tuple(
      fc.constantFrom('RegisterTaskDefinition', 'CreateService', 'UpdateService', 'RunTask'),
      fc.jsonValue({ maxDepth: 3 }),
      fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(null)),
    )
    .map(([name, request, response]) => apiCallEvent(name, request as Json, response as Json));

  it('never throws, and acts on nothing it could not parse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileInput, cloudTrail), async (raw) => {
        // Prepare
        const sns = new RecordingChannel('sns');
        const fakes = fakePorts({ channels: [sns], taskDefinitions: anyRevision });
        const runtime = createRuntime({
          functionName: 'policy-enforcer',
          config,
          env: {},
          telemetry: recordingTelemetry().telemetry,
          now: () => new Date('2026-11-21T12:00:00Z'),
        });
        // Act
        const result = await invoke(policyEnforcer, raw, runtime, fakes.ports);
        // Assess
        expect(['acted', 'ignored', 'invalid']).toContain(result.outcome);
        if (result.outcome === 'invalid') {
          expect(fakes.ecsCalls).toStrictEqual([]);
          expect(sns.sent).toStrictEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
