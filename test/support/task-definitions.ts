import * as v from 'valibot';
import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import type { PolicySubject, TaskDefinitionDocument } from '#policies/documents.ts';
import type { AnyRule, RuleOutcome } from '#policies/types.ts';

const ACCOUNT = '123456789012';

type Container = NonNullable<TaskDefinitionDocument['containerDefinitions']>[number];

/** A container that every built-in rule accepts, with overrides. */
const compliantContainer = (overrides: Partial<Container> = {}): Container => ({
  name: 'app',
  image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/web:2026.11.2`,
  essential: true,
  cpu: 256,
  memory: 512,
  user: '1000',
  readonlyRootFilesystem: true,
  privileged: false,
  healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/health || exit 1'] },
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
  environment: [{ name: 'LOG_LEVEL', value: 'info' }],
  secrets: [
    {
      name: 'DB_PASSWORD',
      valueFrom: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:web/db-AbCdEf`,
    },
  ],
  ...overrides,
});

/** A Fargate task definition that every built-in rule accepts, in RegisterTaskDefinition's shape. */
const compliantTaskDefinition = (
  overrides: Partial<TaskDefinitionDocument> = {},
): TaskDefinitionDocument => ({
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '512',
  memory: '1024',
  taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-task`,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-execution`,
  containerDefinitions: [compliantContainer()],
  ...overrides,
});

/** The compliant task definition with its first container changed. */
const withContainer = (
  overrides: Partial<Container>,
  td: Partial<TaskDefinitionDocument> = {},
): TaskDefinitionDocument =>
  compliantTaskDefinition({ containerDefinitions: [compliantContainer(overrides)], ...td });

/** A Fargate service every built-in rule accepts, in the shape ECS returns a service. */
const compliantService = (overrides: Partial<ServiceDocument> = {}): ServiceDocument => ({
  serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/web`,
  serviceName: 'web',
  clusterArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`,
  taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:2`,
  desiredCount: 3,
  launchType: 'FARGATE',
  platformVersion: 'LATEST',
  networkConfiguration: {
    awsvpcConfiguration: {
      subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
      securityGroups: ['sg-0a1b2c3d'],
      assignPublicIp: 'DISABLED',
    },
  },
  deploymentConfiguration: {
    deploymentCircuitBreaker: { enable: true, rollback: true },
    maximumPercent: 200,
    minimumHealthyPercent: 100,
  },
  deploymentController: { type: 'ECS' },
  schedulingStrategy: 'REPLICA',
  ...overrides,
});

/** Runs a rule as a policy would, with its options validated and defaults filled in. */
const checkRule = (
  rule: AnyRule,
  subject: PolicySubject,
  options: Record<string, unknown> = {},
): RuleOutcome => rule.check(subject, v.parse(v.strictObject(rule.options()), options));

/** The messages of an outcome's violations, or the verdict itself. */
const verdict = (outcome: RuleOutcome): string | string[] =>
  typeof outcome === 'string'
    ? outcome
    : !Array.isArray(outcome)
      ? 'not-applicable'
      : outcome.length === 0
        ? 'compliant'
        : outcome.map((v) => (v.unknown ? `unknown: ${v.message}` : v.message));

/** Why an outcome is not applicable (undefined when it applies or gives no reason). */
const notApplicableReason = (outcome: RuleOutcome): string | undefined =>
  typeof outcome === 'object' && 'notApplicable' in outcome ? outcome.notApplicable : undefined;

export {
  ACCOUNT,
  checkRule,
  compliantContainer,
  compliantService,
  compliantTaskDefinition,
  notApplicableReason,
  verdict,
  withContainer,
};
