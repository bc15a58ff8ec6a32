import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { createServiceDeploymentsAdapter } from '#aws/ecs/service-deployments.ts';
import { createMetricReader } from '#delivery/metric-reader.ts';
import { deliveryFixture } from '#support/delivery.ts';
import { fakeAwsHttp, wireTimestamps } from '#support/fake-aws-http.ts';

const PAUSED =
  'arn:aws:ecs:us-east-1:123456789012:service-deployment/MyCluster/MyService/r9i43YFjvgF_xlg7m2eJ1r';
const HOOK = 'ecs-pause-Xk7rT2mP9sLwQn4vB8fYd3hJ6gA1cE5iO0uR_ZpWq';

describe('Service deployments adapter (through the SDK, AWS JSON 1.1)', () => {
  it('maps DescribeServiceDeployments (the SDK example of a paused deployment)', async () => {
    // Prepare
    const { config, sent } = fakeAwsHttp(() => ({
      body: wireTimestamps(deliveryFixture('describe-service-deployments-paused-sdk')),
    }));
    const adapter = createServiceDeploymentsAdapter(new ECSClient(config));
    // Act
    const [deployment] = await adapter.describe([PAUSED]);
    // Assess
    expect(sent).toStrictEqual([
      { operation: 'DescribeServiceDeployments', body: { serviceDeploymentArns: [PAUSED] } },
    ]);
    expect(deployment).toMatchObject({
      arn: PAUSED,
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_PRODUCTION_TRAFFIC_SHIFT',
      strategy: 'BLUE_GREEN',
      source: [],
      target: {
        arn: 'arn:aws:ecs:us-east-1:123456789012:service-revision/MyCluster/MyService/1234567890123456789',
        requestedTaskCount: 2,
        runningTaskCount: 1,
      },
      hooks: [
        {
          hookId: HOOK,
          targetType: 'PAUSE',
          status: 'AWAITING_ACTION',
          timeoutAction: 'ROLLBACK',
          expiresAt: new Date('2026-05-06T17:00:00.000Z'),
        },
      ],
    });
  });

  it('describes at most 20 deployments per call, as the API allows', async () => {
    // Prepare
    const { config, sent } = fakeAwsHttp(() => ({
      body: { serviceDeployments: [], failures: [] },
    }));
    const adapter = createServiceDeploymentsAdapter(new ECSClient(config));
    // Act
    await adapter.describe(Array.from({ length: 45 }, (_, i) => `${PAUSED}${i}`));
    // Assess
    expect(sent.map((r) => (r.body.serviceDeploymentArns as string[]).length)).toStrictEqual([
      20, 20, 5,
    ]);
  });

  it('maps DescribeServiceRevisions (the SDK example): task definition and configuration', async () => {
    // Prepare
    const { config } = fakeAwsHttp(() => ({
      body: wireTimestamps(deliveryFixture('describe-service-revisions-sdk')),
    }));
    const adapter = createServiceDeploymentsAdapter(new ECSClient(config));
    // Act
    const [revision] = await adapter.describeRevisions([
      'arn:aws:ecs:us-west-2:123456789012:service-revision/example/sd-example/4980306466373577095',
    ]);
    // Assess
    expect(revision).toMatchObject({
      taskDefinition: 'arn:aws:ecs:us-west-2:123456789012:task-definition/large-ngingx:1',
      configuration: {
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } },
      },
      loadBalancers: [],
      resolvedLoadBalancers: [],
    });
  });

  it('lists deployments across pages, newest first, in the statuses asked for', async () => {
    // Prepare
    const brief = (
      deliveryFixture('list-service-deployments-sdk').serviceDeployments as Record<
        string,
        unknown
      >[]
    )[0];
    const { config, sent } = fakeAwsHttp((r) =>
      r.body.nextToken
        ? {
            body: {
              serviceDeployments: [
                { ...brief, serviceDeploymentArn: 'new', createdAt: 1_800_000_000 },
              ],
            },
          }
        : {
            body: {
              serviceDeployments: [{ ...brief, createdAt: 1_700_000_000 }],
              nextToken: 'page-2',
            },
          },
    );
    const adapter = createServiceDeploymentsAdapter(new ECSClient(config));
    // Act
    const listed = await adapter.list('example', 'sd-example', {
      statuses: ['IN_PROGRESS', 'SUCCESSFUL'],
    });
    // Assess
    expect(listed.map((d) => d.arn)).toStrictEqual(['new', brief?.serviceDeploymentArn]);
    expect(sent[0]?.body).toStrictEqual({
      cluster: 'example',
      service: 'sd-example',
      status: ['IN_PROGRESS', 'SUCCESSFUL'],
      maxResults: 100,
    });
  });

  it('stops a deployment with ROLLBACK, and continues one with both its ARN and the hook id', async () => {
    // Prepare
    const { config, sent } = fakeAwsHttp(() => ({ body: { serviceDeploymentArn: PAUSED } }));
    const adapter = createServiceDeploymentsAdapter(new ECSClient(config));
    // Act
    await adapter.stopWithRollback(PAUSED);
    await adapter.continueDeployment(PAUSED, HOOK, 'CONTINUE');
    // Assess
    expect(sent).toStrictEqual([
      {
        operation: 'StopServiceDeployment',
        body: { serviceDeploymentArn: PAUSED, stopType: 'ROLLBACK' },
      },
      {
        operation: 'ContinueServiceDeployment',
        body: { serviceDeploymentArn: PAUSED, hookId: HOOK, action: 'CONTINUE' },
      },
    ]);
  });

  it('raises ECS\u2019s errors by name (a ConflictException when the deployment cannot be stopped)', async () => {
    // Prepare
    const { config } = fakeAwsHttp(() => ({
      status: 400,
      body: {
        __type: 'ConflictException',
        message: 'The service deployment is not in a stoppable state',
      },
    }));
    const adapter = createServiceDeploymentsAdapter(new ECSClient(config));
    // Act
    const stopping = adapter.stopWithRollback(PAUSED);
    // Assess
    await expect(stopping).rejects.toMatchObject({ name: 'ConflictException' });
  });
});

describe('Metric reader (GetMetricData through the SDK)', () => {
  const request = {
    periodSeconds: 60,
    start: new Date('2026-11-21T09:00:00Z'),
    end: new Date('2026-11-21T09:03:00Z'),
    queries: [
      {
        id: 'a0g_requests',
        metric: {
          namespace: 'AWS/ApplicationELB',
          name: 'RequestCount',
          dimensions: { TargetGroup: 'targetgroup/g/1', LoadBalancer: 'app/a/1' },
          stat: 'Sum',
        },
        returnData: true,
      },
      { id: 'a0g_rate', expression: 'a0g_errors / a0g_requests', returnData: true },
    ],
  };
  const at = (m: number) => Date.parse('2026-11-21T09:00:00Z') / 1000 + m * 60;

  it('sends every query in one call and keys values by period start, across pages', async () => {
    // Prepare
    const { config, sent } = fakeAwsHttp((r) =>
      r.body.NextToken
        ? {
            body: {
              MetricDataResults: [
                { Id: 'a0g_requests', StatusCode: 'Complete', Timestamps: [at(2)], Values: [50] },
              ],
            },
          }
        : {
            body: {
              MetricDataResults: [
                {
                  Id: 'a0g_requests',
                  StatusCode: 'PartialData',
                  Timestamps: [at(0), at(1)],
                  Values: [410, 380],
                },
                { Id: 'a0g_rate', StatusCode: 'Complete', Timestamps: [at(0)], Values: [0.01] },
              ],
              NextToken: 'more',
            },
          },
    );
    // Act
    const points = await createMetricReader(new CloudWatchClient(config)).read(request);
    // Assess
    expect(points).toStrictEqual({
      a0g_requests: { [at(0) * 1000]: 410, [at(1) * 1000]: 380, [at(2) * 1000]: 50 },
      a0g_rate: { [at(0) * 1000]: 0.01 },
    });
    expect(sent[0]?.operation).toBe('GetMetricData');
    expect(sent[0]?.body).toMatchObject({
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        {
          Id: 'a0g_requests',
          ReturnData: true,
          MetricStat: {
            Period: 60,
            Stat: 'Sum',
            Metric: {
              Namespace: 'AWS/ApplicationELB',
              MetricName: 'RequestCount',
              Dimensions: [
                { Name: 'TargetGroup', Value: 'targetgroup/g/1' },
                { Name: 'LoadBalancer', Value: 'app/a/1' },
              ],
            },
          },
        },
        { Id: 'a0g_rate', Expression: 'a0g_errors / a0g_requests', Period: 60, ReturnData: true },
      ],
    });
  });

  it('fails the reading, rather than read "no data", when CloudWatch could not compute a query', async () => {
    // Prepare
    const { config } = fakeAwsHttp(() => ({
      body: {
        MetricDataResults: [
          { Id: 'a0g_rate', StatusCode: 'InternalError', Timestamps: [], Values: [] },
        ],
      },
    }));
    // Act
    const reading = createMetricReader(new CloudWatchClient(config)).read(request);
    // Assess
    await expect(reading).rejects.toMatchObject({ name: 'TransientError', retryable: true });
  });
});
