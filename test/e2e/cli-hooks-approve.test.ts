import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryFixture, type Json } from '#support/delivery.ts';
import { wireTimestamps } from '#support/fake-aws-http.ts';
import { runScript } from '#support/run-command.ts';

const write = (name: string, text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'hm-cli-')), name);
  writeFileSync(file, text);
  return file;
};

const PAUSED =
  'arn:aws:ecs:us-east-1:123456789012:service-deployment/MyCluster/MyService/r9i43YFjvgF_xlg7m2eJ1r';
const HOOK = 'ecs-pause-Xk7rT2mP9sLwQn4vB8fYd3hJ6gA1cE5iO0uR_ZpWq';

describe('CLI: harbormaster hooks', () => {
  it('prints the Lambda and pause hooks the configuration enables for the service, with the stack\u2019s ARNs', async () => {
    // Prepare
    const config = write(
      'harbormaster.yml',
      [
        'delivery:',
        '  analysisGate:',
        '    stages: [POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT]',
        '  services:',
        '    - { cluster: prod, service: web, policyGate: { mode: off }, approvals: { stages: [PRE_PRODUCTION_TRAFFIC_SHIFT], timeoutInMinutes: 120 } }',
        '',
      ].join('\n'),
    );
    const outputs = write(
      'stack.json',
      JSON.stringify({
        Stacks: [
          {
            Outputs: [
              {
                OutputKey: 'DeploymentHooksFunctionArn',
                OutputValue:
                  'arn:aws:lambda:eu-west-1:111122223333:function:harbormaster-prod-deployment-hooks',
              },
              {
                OutputKey: 'DeploymentHooksInvokeRoleArn',
                OutputValue:
                  'arn:aws:iam::111122223333:role/harbormaster-prod-DeploymentHooksInvokeRole-AbC',
              },
            ],
          },
        ],
      }),
    );
    // Act
    const result = await runScript('apps/cli/main.ts', [
      'hooks',
      'prod/web',
      '--config',
      config,
      '--outputs',
      outputs,
      '--format',
      'json',
    ]);
    // Assess
    expect(result.code).toBe(0);
    expect(
      JSON.parse(
        result.stdout
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .join('\n'),
      ),
    ).toStrictEqual([
      {
        targetType: 'AWS_LAMBDA',
        hookTargetArn:
          'arn:aws:lambda:eu-west-1:111122223333:function:harbormaster-prod-deployment-hooks',
        roleArn: 'arn:aws:iam::111122223333:role/harbormaster-prod-DeploymentHooksInvokeRole-AbC',
        lifecycleStages: [
          'POST_TEST_TRAFFIC_SHIFT',
          'PRE_PRODUCTION_TRAFFIC_SHIFT',
          'POST_PRODUCTION_TRAFFIC_SHIFT',
        ],
        timeoutConfiguration: { timeoutInMinutes: 13, action: 'ROLLBACK' },
      },
      {
        targetType: 'PAUSE',
        lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 120, action: 'ROLLBACK' },
      },
    ]);
  });
});

describe('CLI: harbormaster approve and reject (ECS over HTTP, the SDK\u2019s wire format)', () => {
  let server: Server | undefined;
  afterEach(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  );

  /** An ECS endpoint that describes the SDK's paused deployment and records ContinueServiceDeployment. */
  const ecsEndpoint = async (deployment: Json) => {
    const continued: Json[] = [];
    const listed: Json[] = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const operation = String(request.headers['x-amz-target']).split('.').pop();
        const input = JSON.parse(body) as Json;
        response.setHeader('content-type', 'application/x-amz-json-1.1');
        if (operation === 'DescribeServiceDeployments') {
          response.end(
            JSON.stringify(wireTimestamps({ serviceDeployments: [deployment], failures: [] })),
          );
          return;
        }
        if (operation === 'ListServiceDeployments') {
          listed.push(input);
          response.end(
            JSON.stringify(
              wireTimestamps({
                serviceDeployments: [
                  {
                    serviceDeploymentArn: deployment.serviceDeploymentArn,
                    serviceArn: deployment.serviceArn,
                    clusterArn: deployment.clusterArn,
                    status: deployment.status,
                  },
                ],
              }),
            ),
          );
          return;
        }
        continued.push(input);
        response.end(JSON.stringify({ serviceDeploymentArn: input.serviceDeploymentArn }));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const env = {
      AWS_ENDPOINT_URL_ECS: `http://127.0.0.1:${port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    };
    return { env, continued, listed };
  };
  const paused = () =>
    (
      deliveryFixture('describe-service-deployments-paused-sdk').serviceDeployments as Json[]
    )[0] as Json;

  it('continues the paused deployment with both its ARN and the hook id', async () => {
    // Prepare
    const { env, continued } = await ecsEndpoint(paused());
    // Act
    const result = await runScript('apps/cli/main.ts', ['approve', PAUSED], { env });
    // Assess
    expect(result).toMatchObject({
      code: 0,
      stdout: `${PAUSED}: CONTINUE sent to hook ${HOOK} at POST_PRODUCTION_TRAFFIC_SHIFT\n`,
    });
    expect(continued).toStrictEqual([
      { serviceDeploymentArn: PAUSED, hookId: HOOK, action: 'CONTINUE' },
    ]);
  });

  it('rolls back the deployment in progress of <cluster>/<service> with reject', async () => {
    // Prepare
    const { env, continued, listed } = await ecsEndpoint(paused());
    // Act
    const result = await runScript('apps/cli/main.ts', ['reject', 'MyCluster/MyService'], { env });
    // Assess
    expect(result).toMatchObject({
      code: 0,
      stdout: `${PAUSED}: ROLLBACK sent to hook ${HOOK} at POST_PRODUCTION_TRAFFIC_SHIFT\n`,
    });
    expect(listed).toStrictEqual([
      expect.objectContaining({
        cluster: 'MyCluster',
        service: 'MyService',
        status: ['IN_PROGRESS'],
      }),
    ]);
    expect(continued).toStrictEqual([
      { serviceDeploymentArn: PAUSED, hookId: HOOK, action: 'ROLLBACK' },
    ]);
  });

  it('refuses, exiting 1 and saying why, when the hook was answered already', async () => {
    // Prepare
    const answered = {
      ...paused(),
      lifecycleHookDetails: [
        { ...((paused().lifecycleHookDetails as Json[])[0] as Json), status: 'SUCCEEDED' },
      ],
    };
    const { env, continued } = await ecsEndpoint(answered);
    // Act
    const result = await runScript('apps/cli/main.ts', ['approve', PAUSED, '--hook-id', HOOK], {
      env,
    });
    // Assess
    expect(result).toMatchObject({
      code: 1,
      stdout: `${PAUSED}: hook ${HOOK} is SUCCEEDED, not AWAITING_ACTION\n`,
    });
    expect(continued).toStrictEqual([]);
  });
});
