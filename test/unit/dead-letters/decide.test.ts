import { describe, expect, it } from 'vitest';
import { decideDeadLetter } from '#dead-letters/decide.ts';
import { parseDestinationRecord } from '#dead-letters/destination-record.ts';
import { InvalidEventError } from '#kernel/errors.ts';
import { fixture, stoppedTask } from '#support/events.ts';

// The shape Lambda documents for asynchronous invocation records sent to an on-failure destination.
const record = (requestPayload: unknown, functionName = 'harbormaster-prod-deployment-guard') => ({
  version: '1.0',
  timestamp: '2026-11-21T12:00:00.000Z',
  requestContext: {
    requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
    functionArn: `arn:aws:lambda:us-east-2:123456789012:function:${functionName}:$LATEST`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: 'ThrottlingException', errorMessage: 'Rate exceeded' },
});

describe('Function: decideDeadLetter', () => {
  it('says which service was left unguarded, by which function, and parks the record', () => {
    // Prepare
    const raw = record(
      stoppedTask({
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: x',
        exitCode: undefined,
      }),
    );
    // Act
    const decision = decideDeadLetter(parseDestinationRecord(raw));
    // Assess
    expect(decision.actions.map((a) => a.type)).toStrictEqual(['notify', 'park-dead-letter']);
    expect(decision.actions[0]).toMatchObject({
      alert: {
        kind: 'dead-letter',
        severity: 'error',
        functionName: 'harbormaster-prod-deployment-guard',
        errorType: 'ThrottlingException',
        attempts: 3,
        subject: {
          cluster: 'DemoTrafficGen01-ClusterEB0386A7-sCRgDrfn5BP9',
          service: 'DemoTrafficGen01-ServiceD69D759B-EfyMIBhdCKVk',
        },
        consequence: expect.stringMatching(
          /^The deployment guard did not act on this event: DemoTrafficGen01-Cluster.*\/DemoTrafficGen01-Service.* was left unguarded for it\.$/,
        ),
        dedup: { key: 'dead-letter|e4b46cbf-b738-xmpl-8880-a18cdf61200e' },
      },
    });
  });

  it('still alerts when the dead-lettered payload is not an event Harbormaster parses', () => {
    // Act
    const decision = decideDeadLetter(
      parseDestinationRecord(record({ not: 'an event' }, 'harbormaster-prod-service-alerts')),
    );
    // Assess
    expect(decision.actions[0]).toMatchObject({
      alert: {
        eventSummary: 'an event Harbormaster could not parse',
        subject: { account: '123456789012', region: 'us-east-2' },
      },
    });
  });

  it('names the service of a deployment event', () => {
    // Act
    const decision = decideDeadLetter(
      parseDestinationRecord(record(fixture('deployment-failed-circuit-breaker-docs'))),
    );
    // Assess
    expect(decision.actions[0]).toMatchObject({
      alert: {
        eventSummary:
          'ECS Deployment State Change for default/servicetest (event ddca6449-b258-46c0-8653-e0e3aEXAMPLE)',
      },
    });
  });

  it('rejects a record without its request context, naming the field', () => {
    // Assess
    expect(() => parseDestinationRecord({ version: '1.0', timestamp: 'x' })).toThrow(
      InvalidEventError,
    );
    expect(() => parseDestinationRecord({ version: '1.0', timestamp: 'x' })).toThrow(
      /requestContext/,
    );
  });
});

describe('Function: decideDeadLetter on what a failed function left behind', () => {
  const WEBHOOK = 'https://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/abcdefghijklmnopqrstuvwx';

  it('reads an error payload of any shape without crashing', () => {
    // Prepare
    for (const responsePayload of [{ errorMessage: 5, errorType: ['x'] }, 'boom', null, [1]]) {
      // Act
      const decision = decideDeadLetter(
        parseDestinationRecord({
          ...record(fixture('deployment-completed-docs')),
          responsePayload,
        }),
      );
      // Assess
      expect(decision.actions[0]).toMatchObject({
        alert: { errorType: 'RetriesExhausted', errorMessage: 'no error message' },
      });
    }
  });

  it.each(['constructor', '__proto__', 'toString'])(
    'names a function called %s without reading it as a key of its table',
    (name) => {
      // Act
      const decision = decideDeadLetter(parseDestinationRecord(record({}, name)));
      // Assess
      expect(decision.actions[0]).toMatchObject({
        alert: { consequence: `${name} did not act on an event for an ECS resource.` },
      });
    },
  );

  it('parks the record without the Slack webhook URL an error message or stack trace quoted', () => {
    // Prepare
    const raw = {
      ...record(fixture('deployment-completed-docs')),
      responsePayload: {
        errorType: 'TransientError',
        errorMessage: `Slack webhook failed: request failed: Failed to parse URL from ${WEBHOOK}`,
        trace: [`TypeError: Failed to parse URL from {"url":"${WEBHOOK}"}`, '    at post'],
      },
    };
    // Act
    const decision = decideDeadLetter(parseDestinationRecord(raw));
    // Assess
    expect(JSON.stringify(decision)).not.toContain('T0EXAMPLE');
    expect(decision.actions[1]).toMatchObject({
      record: {
        requestContext: raw.requestContext,
        requestPayload: fixture('deployment-completed-docs'),
        responsePayload: {
          trace: [
            'TypeError: Failed to parse URL from {"url":"https://hooks.slack.com/[redacted]"}',
            '    at post',
          ],
        },
      },
    });
  });
});
