import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { START } from './harness.ts';

type ErrorBody = { __type: string; message?: string };
const errorBody = async (res: Response): Promise<ErrorBody> => (await res.json()) as ErrorBody;

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=AKIALOCALAWS00000001/20261102/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef0123456789';

describe('Wire protocols', () => {
  let local: LocalAws;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
  });

  afterEach(async () => {
    await local.close();
  });

  const ecsRequest = (operation: string, body: string, authorization?: string) =>
    fetch(local.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}`,
        ...(authorization === undefined ? {} : { authorization }),
      },
      body,
    });

  it('requires a well-formed SigV4 Authorization header, as AWS does', async () => {
    // Act
    const missing = await ecsRequest('ListClusters', '{}');
    const malformed = await ecsRequest('ListClusters', '{}', 'Bearer abc');
    const snsMissing = await fetch(local.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListTopics&Version=2010-03-31',
    });

    // Assess
    expect(missing.status).toBe(403);
    expect(missing.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await missing.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    expect(malformed.status).toBe(403);
    expect((await errorBody(malformed)).__type).toBe('IncompleteSignatureException');
    expect(snsMissing.status).toBe(403);
    expect(await snsMissing.text()).toMatch(
      /<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/,
    );
    expect(local.calls.list('ecs').map((c) => [c.operation, c.status])).toEqual([
      ['ListClusters', 403],
      ['ListClusters', 403],
    ]);
  });

  it('answers unknown operations and malformed JSON with the coral errors', async () => {
    // Act
    const unknown = await ecsRequest('LaunchRockets', '{}', SIGNED);
    const garbage = await ecsRequest('ListClusters', '{not json', SIGNED);
    const ok = await ecsRequest('ListClusters', '{}', SIGNED);

    // Assess
    expect([unknown.status, (await errorBody(unknown)).__type]).toEqual([
      400,
      'UnknownOperationException',
    ]);
    expect([garbage.status, (await errorBody(garbage)).__type]).toEqual([
      400,
      'SerializationException',
    ]);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await ok.json()).toEqual({ clusterArns: [] });
  });

  it('serves the SDK through AWS_ENDPOINT_URL_* environment variables', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, local.env);
    local.ecs.createCluster('from-env');

    // Act
    const ecs = new ECSClient({});
    const out = await ecs.send(new ListClustersCommand({}));
    ecs.destroy();
    process.env = saved;

    // Assess
    expect(out.clusterArns).toEqual(['arn:aws:ecs:us-east-1:123456789012:cluster/from-env']);
    expect(local.env).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_ECS: local.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: local.url,
    });
  });
});
