import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSlackMessage, SLACK_LIMITS } from '#alerts/formats/slack.ts';
import { formatSnsPublication, SNS_MAX_BYTES, snsBytes } from '#alerts/formats/sns.ts';
import { parseConfig } from '#config/parse.ts';
import { parseDestinationRecord } from '#dead-letters/destination-record.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { ConfigError, InvalidEventError } from '#kernel/errors.ts';
import { parseEvent } from '#kernel/events/parse.ts';
import { invoke } from '#kernel/invoke.ts';
import { fakeRuntime } from '#support/fakes.ts';
import { hostileInput } from '#support/mutations.ts';
import { serviceState } from '#support/services.ts';

// Ten times fast-check's default: mutations of every real event, within the suite's time.
const RUNS = 1000;

/** Runs a parser; any error other than the expected one fails the property. */
const parsesOrRejects =
  (parse: (raw: unknown) => unknown, expected: new (...args: never[]) => Error) =>
  (raw: unknown) => {
    try {
      parse(raw);
    } catch (error) {
      if (!(error instanceof expected)) throw error;
      expect((error as unknown as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    }
  };

describe('Property: parsers on mutated real events', () => {
  it('parseEvent either parses or raises InvalidEventError naming at least one field', () => {
    fc.assert(fc.property(hostileInput, parsesOrRejects(parseEvent, InvalidEventError)), {
      numRuns: RUNS,
    });
  });

  it.each(Object.keys(FUNCTIONS))(
    'the %s parser either parses or raises InvalidEventError',
    (name) => {
      const definition = FUNCTIONS[name];
      if (!definition) throw new Error(name);
      fc.assert(fc.property(hostileInput, parsesOrRejects(definition.parse, InvalidEventError)), {
        numRuns: RUNS,
      });
    },
  );

  it('the destination record parser either parses or raises InvalidEventError', () => {
    fc.assert(
      fc.property(hostileInput, (payload) =>
        parsesOrRejects(
          parseDestinationRecord,
          InvalidEventError,
        )({
          version: '1.0',
          timestamp: '2026-01-01T00:00:00Z',
          requestContext: payload,
          requestPayload: payload,
        }),
      ),
      { numRuns: RUNS },
    );
  });

  it('the configuration parser either parses or raises ConfigError', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        parsesOrRejects((raw) => parseConfig(raw, 'fuzz'), ConfigError),
      ),
      {
        numRuns: RUNS,
      },
    );
  });
});

/** Every string of a JSON-like value is well-formed UTF-16 (no lone surrogate). */
const wellFormed = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.isWellFormed()
    : Array.isArray(value)
      ? value.every(wellFormed)
      : value !== null && typeof value === 'object'
        ? Object.values(value).every(wellFormed)
        : true;

/** What SNS and Slack would be sent for an alert: within their limits, encodable as UTF-8. */
const expectDeliverable = (message: AlertMessage): void => {
  const publication = formatSnsPublication(message);
  expect(snsBytes(publication)).toBeLessThanOrEqual(SNS_MAX_BYTES);
  expect(wellFormed(publication)).toBe(true);
  const slack = formatSlackMessage(message);
  expect(wellFormed(slack)).toBe(true);
  expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of slack.blocks) {
    const b = block as { type: string; text?: { text: string }; fields?: { text: string }[] };
    const limit = b.type === 'header' ? SLACK_LIMITS.header : SLACK_LIMITS.sectionText;
    expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(limit);
    for (const field of b.fields ?? []) {
      expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
  }
};

describe('Property: invocations on mutated real events', () => {
  // "failed" is a permanent failure reported once (e.g. a mutated event naming a missing service).
  it.each(Object.keys(FUNCTIONS))(
    '%s never throws on bad input, and acts on nothing it could not parse',
    async (name) => {
      const definition = FUNCTIONS[name];
      if (!definition) throw new Error(name);
      await fc.assert(
        fc.asyncProperty(hostileInput, async (raw) => {
          // Prepare
          const { runtime, sns, ...fakes } = fakeRuntime({
            functionName: name,
            services: [serviceState()],
          });
          // Act
          const result = await invoke(definition, raw, runtime, fakes.ports);
          // Assess
          expect(['acted', 'ignored', 'invalid', 'failed']).toContain(result.outcome);
          for (const message of sns.sent) expectDeliverable(message);
          // No log line repeats a huge field (near-256 KB values are among the mutations).
          for (const line of fakes.lines) expect(JSON.stringify(line).length).toBeLessThan(32_768);
          if (result.outcome === 'failed') {
            expect(fakes.ecsCalls.filter((call) => call.startsWith('updateService'))).toStrictEqual(
              [],
            );
          }
          if (result.outcome === 'invalid') {
            expect(result.actions).toStrictEqual([]);
            expect(fakes.ecsCalls).toStrictEqual([]);
            expect(sns.sent).toStrictEqual([]);
            expect(fakes.parked).toStrictEqual([]);
          }
        }),
        { numRuns: RUNS },
      );
    },
  );
});
