import { describe, expect, it } from 'vitest';
import type { ServiceEventAction } from '#alerts/service-events/actions.ts';
import {
  decideServiceAlert,
  type ServiceAlertEvent,
  screenServiceAlert,
} from '#alerts/service-events/decide.ts';
import { parseConfig } from '#config/parse.ts';
import type { ConfigInput } from '#config/schema.ts';
import { serviceAlerts } from '#functions/service-alerts/definition.ts';
import type { Alert } from '#kernel/alerts/model.ts';
import { type Decision, ignore } from '#kernel/decision.ts';
import { fixture, type Json, withDetail } from '#support/events.ts';
import { ARN, deployment, serviceState } from '#support/services.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

/** What the function decides, as the pipeline runs it: screened first, then decided. */
const decide = (...args: Parameters<typeof decideServiceAlert>): Decision<ServiceEventAction> => {
  const screened = screenServiceAlert(args[0], args[2]);
  return screened ? ignore(screened) : decideServiceAlert(...args);
};
const config = (input: ConfigInput = {}) => parseConfig(input, 'test');
const parse = (raw: Json) => serviceAlerts.parse(raw) as ServiceAlertEvent;

const alertOf = (decision: Decision<ServiceEventAction>): Alert => {
  const [action] = decision.actions;
  if (decision.actions.length !== 1 || action?.type !== 'notify') {
    throw new Error(`expected one notify action, got ${JSON.stringify(decision.actions)}`);
  }
  return action.alert;
};

const ROLLING_OUT = serviceState({
  deployments: [
    deployment({
      id: 'ecs-svc/123',
      status: 'PRIMARY',
      taskDefinition: `${ARN}:task-definition/web:3`,
      rolloutState: 'IN_PROGRESS',
    }),
    deployment({
      id: 'ecs-svc/122',
      status: 'ACTIVE',
      taskDefinition: `${ARN}:task-definition/web:2`,
    }),
  ],
});

describe('Function: decideServiceAlert', () => {
  describe('ECS Service Action', () => {
    it.each([
      ['service-action-task-start-impaired-docs', 'SERVICE_TASK_START_IMPAIRED', 'warning'],
      ['service-action-placement-failure-ec2-cpu-docs', 'SERVICE_TASK_PLACEMENT_FAILURE', 'error'],
      [
        'service-action-placement-failure-fargate-spot-docs',
        'SERVICE_TASK_PLACEMENT_FAILURE',
        'error',
      ],
    ])('alerts on the real %s event', (name, eventName, severity) => {
      // Act
      const decision = decide(parse(fixture(name)), { service: ROLLING_OUT }, config(), NOW);
      // Assess
      expect(decision.outcome).toBe('acted');
      expect(alertOf(decision)).toMatchObject({
        kind: 'service-event',
        eventName,
        severity,
        subject: {
          account: '111122223333',
          region: 'us-west-2',
          cluster: 'default',
          service: 'servicetest',
          deploymentId: 'ecs-svc/123',
        },
        threadId: 'ecs-default-servicetest-123',
      });
    });

    it('names the ECS reason and the capacity provider of a Fargate Spot placement failure', () => {
      // Act
      const alert = alertOf(
        decide(
          parse(fixture('service-action-placement-failure-fargate-spot-docs')),
          { service: undefined },
          config(),
          NOW,
        ),
      );
      // Assess
      expect(alert).toMatchObject({
        reason: 'RESOURCE:FARGATE',
        capacityProviders: ['arn:aws:ecs:us-west-2:111122223333:capacity-provider/FARGATE_SPOT'],
        threadId: 'ecs-default-servicetest',
      });
    });

    it.each([
      ['service-action-steady-state-docs', 'INFO events are not alerted'],
      ['service-action-capacity-provider-steady-state-docs', 'INFO events are not alerted'],
    ])('ignores the INFO event %s', (name, reason) => {
      // Act
      const decision = decide(parse(fixture(name)), { service: undefined }, config(), NOW);
      // Assess
      expect(decision).toStrictEqual({
        outcome: 'ignored',
        reason: expect.stringContaining(reason),
        actions: [],
      });
    });

    it('alerts on INFO events when configured to', () => {
      // Act
      const decision = decide(
        parse(fixture('service-action-steady-state-docs')),
        { service: undefined },
        config({ alerts: { serviceEvents: { eventTypes: ['INFO', 'WARN', 'ERROR'] } } }),
        NOW,
      );
      // Assess
      expect(alertOf(decision)).toMatchObject({
        eventName: 'SERVICE_STEADY_STATE',
        severity: 'info',
      });
    });

    it('ignores event names listed in alerts.serviceEvents.ignore', () => {
      // Act
      const decision = decide(
        parse(fixture('service-action-task-start-impaired-docs')),
        { service: undefined },
        config({ alerts: { serviceEvents: { ignore: ['SERVICE_TASK_START_IMPAIRED'] } } }),
        NOW,
      );
      // Assess
      expect(decision.outcome).toBe('ignored');
    });

    it('leaves SERVICE_DEPLOYMENT_FAILED sent as a service action to the deployment event', () => {
      // Prepare
      const event = withDetail('service-action-placement-failure-ec2-cpu-docs', {
        eventName: 'SERVICE_DEPLOYMENT_FAILED',
      });
      // Act
      const decision = decide(parse(event), { service: undefined }, config(), NOW);
      // Assess
      expect(decision).toMatchObject({
        outcome: 'ignored',
        reason: expect.stringContaining('ECS Deployment State Change'),
      });
    });

    it('alerts on an event name ECS adds later, with generic advice', () => {
      // Prepare
      const event = withDetail('service-action-task-start-impaired-docs', {
        eventName: 'SERVICE_SOMETHING_NEW',
        eventType: 'ERROR',
      });
      // Act
      const alert = alertOf(decide(parse(event), { service: undefined }, config(), NOW));
      // Assess
      expect(alert).toMatchObject({ eventName: 'SERVICE_SOMETHING_NEW', severity: 'error' });
    });

    it('gives a redelivered event and a repeat with a new createdAt the same key, held for the window', () => {
      // Prepare
      const first = parse(fixture('service-action-task-start-impaired-docs'));
      const repeat = parse(
        withDetail(
          'service-action-task-start-impaired-docs',
          { createdAt: '2019-11-19T20:10:38.725Z' },
          { id: 'another-id' },
        ),
      );
      // Act
      const a = alertOf(decide(first, { service: undefined }, config(), NOW));
      const b = alertOf(decide(repeat, { service: undefined }, config(), NOW));
      // Assess
      expect(a.dedup).toStrictEqual(b.dedup);
      expect(a.dedup.windowSeconds).toBe(3600);
    });

    it('keys different placement reasons apart', () => {
      // Act
      const cpu = alertOf(
        decide(
          parse(fixture('service-action-placement-failure-ec2-cpu-docs')),
          { service: undefined },
          config(),
          NOW,
        ),
      );
      const fargate = alertOf(
        decide(
          parse(fixture('service-action-placement-failure-fargate-spot-docs')),
          { service: undefined },
          config(),
          NOW,
        ),
      );
      // Assess
      expect(cpu.dedup.key).not.toBe(fargate.dedup.key);
    });
  });

  it.each(['task-running-fargate-service-arkime', 'deployment-completed-docs'])(
    "rejects the real %s event at parse time (deployment lifecycle alerts are the guard's)",
    (name) => {
      // Assess
      expect(() => parse(fixture(name))).toThrow(/detail-type/);
    },
  );
});
