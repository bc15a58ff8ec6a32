import { ECSClient } from '@aws-sdk/client-ecs';
import { createServiceDeploymentsAdapter } from '#aws/ecs/service-deployments.ts';
import { answerPause } from '#delivery/approvals/continue.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { revision } from '../account.ts';
import {
  createProgressiveService,
  deploymentStatus,
  greenShare,
  SETTLED,
  stepUntil,
} from './progressive-services.ts';
import { elapse, type Scenario } from './scenario.ts';

const ECR = '111122223333.dkr.ecr.us-east-1.amazonaws.com';

/**
 * A canary whose green revision raises its 5xx rate once it takes production traffic: the analysis
 * at the canary step fails its first measurement and ECS shifts traffic back to blue.
 */
const canaryAnalysis: Scenario = {
  name: 'canary-analysis',
  title:
    'A canary whose green revision fails under production traffic is rolled back by the analysis',
  explains: [
    'prod/storefront deploys on the CANARY strategy (10 % first, no canary bake time: the analysis',
    'paces the step). Green answers test traffic well, then 12 % of its production requests fail.',
    'The analysis compares green\u2019s target group with blue\u2019s each minute; at the canary step its',
    'first measurement fails, Harbormaster answers FAILED, and ECS moves traffic back to blue.',
  ],
  run: async (stack, timeline) => {
    const { ecs } = stack.local;
    const v1 = revision(stack, 'storefront', `${ECR}/storefront:3.1.0`);
    const alb = await createProgressiveService(stack, {
      cluster: 'prod',
      service: 'storefront',
      taskDefinition: v1,
      desiredCount: 2,
      deploymentConfiguration: {
        strategy: 'CANARY',
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
        bakeTimeInMinutes: 5,
      },
    });
    ecs.setTraffic('prod', 'storefront', { production: 1200, test: 120 });
    await elapse(stack, 2);
    const v2 = revision(stack, 'storefront', `${ECR}/storefront:3.2.0`);
    ecs.setHttpBehavior(v2, { errorRate: 0, p50LatencyMs: 45 });
    ecs.call('UpdateService', { cluster: 'prod', service: 'storefront', taskDefinition: v2 });
    let peak = 0;
    let failingSince: string | undefined;
    await stepUntil(
      stack,
      40,
      () => SETTLED.includes(deploymentStatus(stack, 'prod', 'storefront') ?? ''),
      () => {
        const share = greenShare(stack, alb);
        peak = Math.max(peak, share);
        if (share > 0 && !failingSince) {
          // The bug needs production load: it shows once green serves real users.
          ecs.setHttpBehavior(v2, { errorRate: 0.12, p50LatencyMs: 45 });
          failingSince = stack.local.clock.now().toISOString();
          timeline.note(
            `green (storefront:${v2.split(':').at(-1)}) now fails 12 % of requests: it has ${share} % of production`,
          );
        }
      },
    );
    timeline.note(
      `prod/storefront: deployment ${deploymentStatus(stack, 'prod', 'storefront')}; green never had more than ${peak} % of production traffic`,
    );
    ecs.setTraffic('prod', 'storefront', undefined);
  },
};

/** A blue/green deployment of a revision that fails an enforce-mode policy is refused before any green task starts. */
const policyGate: Scenario = {
  name: 'policy-gate',
  title: 'A blue/green deployment of a non-compliant revision is refused at PRE_SCALE_UP',
  explains: [
    'prod/search deploys on the BLUE_GREEN strategy a revision that holds a database password in a',
    'plaintext environment variable.',
    'The policy gate evaluates it with the enforcer\u2019s policies before ECS starts any green task,',
    'answers FAILED, and ECS rolls the deployment back: no green task ever runs.',
  ],
  run: async (stack, timeline) => {
    const { ecs } = stack.local;
    const v1 = revision(stack, 'search', `${ECR}/search:7.0.1`);
    await createProgressiveService(stack, {
      cluster: 'prod',
      service: 'search',
      taskDefinition: v1,
      desiredCount: 2,
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
    });
    await elapse(stack, 2);
    const leaky = ecs.registerTaskDefinition({
      family: 'search',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      containerDefinitions: [
        {
          name: 'app',
          image: `${ECR}/search:7.1.0`,
          essential: true,
          environment: [{ name: 'DB_PASSWORD', value: 'hunter2-but-longer' }],
        },
      ],
    });
    ecs.call('UpdateService', { cluster: 'prod', service: 'search', taskDefinition: leaky });
    await stepUntil(stack, 20, () =>
      SETTLED.includes(deploymentStatus(stack, 'prod', 'search') ?? ''),
    );
    const started = ecs
      .tasks({ cluster: 'prod', serviceName: 'search' })
      .filter((t) => t.taskDefinitionArn === leaky);
    timeline.note(
      `prod/search: deployment ${deploymentStatus(stack, 'prod', 'search')}; green tasks ever started: ${started.length}`,
    );
  },
};

/** A linear deployment paused for approval, approved, analysed at every step and completed. */
const linearApproval: Scenario = {
  name: 'linear-approval',
  title: 'A linear deployment paused for approval, approved, and completed step by step',
  explains: [
    'prod/api deploys on the LINEAR strategy (25 % steps). Its configuration asks for an approval',
    'after the test traffic shift: ECS pauses, Harbormaster alerts with what the analysis found so',
    'far and how to continue; a person approves (harbormaster approve prod/api); the analysis then',
    'judges green at every step before ECS shifts the next 25 %.',
  ],
  run: async (stack, timeline) => {
    const { ecs } = stack.local;
    const v1 = revision(stack, 'api', `${ECR}/api:12.4.0`);
    await createProgressiveService(stack, {
      cluster: 'prod',
      service: 'api',
      taskDefinition: v1,
      desiredCount: 2,
      deploymentConfiguration: {
        strategy: 'LINEAR',
        linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 0 },
        bakeTimeInMinutes: 2,
      },
    });
    ecs.setTraffic('prod', 'api', { production: 2400, test: 240 });
    await elapse(stack, 2);
    const v2 = revision(stack, 'api', `${ECR}/api:12.5.0`);
    ecs.call('UpdateService', { cluster: 'prod', service: 'api', taskDefinition: v2 });
    // The approval waits for a person; the analysis of the test traffic runs meanwhile.
    await elapse(stack, 6);
    const client = new ECSClient({
      endpoint: stack.local.url,
      region: stack.local.region,
      credentials: {
        accessKeyId: stack.local.env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: stack.local.env.AWS_SECRET_ACCESS_KEY ?? '',
      },
    });
    try {
      const port = createServiceDeploymentsAdapter(client);
      const [paused] = await port.list('prod', 'api', { statuses: ['IN_PROGRESS'], limit: 1 });
      const outcome = await answerPause(
        {
          type: 'continue-deployment',
          request: { serviceDeploymentArn: paused?.arn ?? '', hookId: '', action: 'CONTINUE' },
          requestedBy: 'a person on call (harbormaster approve prod/api)',
        },
        { serviceDeployments: port },
        silentTelemetry,
        () => stack.local.clock.now(),
      );
      timeline.note(`harbormaster approve prod/api: ${outcome.detail}`);
    } finally {
      client.destroy();
    }
    await stepUntil(stack, 40, () =>
      SETTLED.includes(deploymentStatus(stack, 'prod', 'api') ?? ''),
    );
    timeline.note(`prod/api: deployment ${deploymentStatus(stack, 'prod', 'api')}`);
    ecs.setTraffic('prod', 'api', undefined);
  },
};

/** A quiet service: the analysis is inconclusive for lack of traffic, and says so. */
const quietAnalysis: Scenario = {
  name: 'quiet-analysis',
  title: 'A quiet service: the analysis is inconclusive for lack of traffic, and says so',
  explains: [
    'prod/reports serves a dozen requests a minute. Its blue/green deployment is analysed like the',
    'others, but a minute of green traffic holds fewer requests than a measurement needs: the',
    'measurements are inconclusive, not passes. By default an inconclusive analysis lets the',
    'deployment go on, with a warning that says why and what to do.',
  ],
  run: async (stack, timeline) => {
    const { ecs } = stack.local;
    const v1 = revision(stack, 'reports', `${ECR}/reports:2.0.0`);
    await createProgressiveService(stack, {
      cluster: 'prod',
      service: 'reports',
      taskDefinition: v1,
      desiredCount: 1,
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2 },
    });
    ecs.setTraffic('prod', 'reports', { production: 12, test: 2 });
    await elapse(stack, 2);
    const v2 = revision(stack, 'reports', `${ECR}/reports:2.1.0`);
    ecs.call('UpdateService', { cluster: 'prod', service: 'reports', taskDefinition: v2 });
    await stepUntil(stack, 30, () =>
      SETTLED.includes(deploymentStatus(stack, 'prod', 'reports') ?? ''),
    );
    timeline.note(`prod/reports: deployment ${deploymentStatus(stack, 'prod', 'reports')}`);
    ecs.setTraffic('prod', 'reports', undefined);
  },
};

/** The delivery configuration the demo runs with (the approval of prod/api). */
const DEMO_DELIVERY = {
  analysisGate: {
    analyses: [
      { name: 'error-rate', metric: 'http-5xx-rate' },
      { name: 'latency', metric: 'p99-latency' },
      { name: 'healthy-hosts', metric: 'healthy-hosts' },
    ],
  },
  services: [
    {
      cluster: 'prod',
      service: 'api',
      approvals: { stages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutInMinutes: 60 },
    },
  ],
};

/** The demo's service policy: prod/search's revisions keep no credentials in plaintext. */
const DEMO_SERVICE_POLICY = {
  name: 'prod-services',
  description: 'Production services keep credentials in Secrets Manager, not in plaintext.',
  resource: 'ecs-service',
  mode: 'enforce',
  scope: { clusters: ['prod'], services: ['search'] },
  filters: [{ type: 'no-plaintext-secrets' }],
};

export {
  canaryAnalysis,
  DEMO_DELIVERY,
  DEMO_SERVICE_POLICY,
  linearApproval,
  policyGate,
  quietAnalysis,
};
