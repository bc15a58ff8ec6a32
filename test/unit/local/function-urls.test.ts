import { describe, expect, it } from 'vitest';
import { functionUrls } from '#apps/local/lambda/function-urls.ts';
import type { LocalLambda } from '#apps/local/lambda/local-lambda.ts';

/**
 * The local host's function URLs (Lambda Developer Guide, urls-invocation.html): the request
 * reaches the function as a payload format 2.0 event, synchronously; its answer is the response.
 */

const host = (invoke: (name: string, event: unknown) => Promise<unknown>) => {
  const events: unknown[] = [];
  const serve = functionUrls({
    lambda: {
      invoke: async (name: string, event: unknown) => {
        events.push(event);
        return invoke(name, event);
      },
    } as unknown as LocalLambda,
    region: 'eu-west-1',
    now: () => new Date('2026-11-21T09:00:00Z'),
    withUrl: ['chat-actions'],
  });
  return { serve, events };
};

const request = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' };

describe('Function URLs on the local Lambda host', () => {
  it('hands the function a payload 2.0 event on its own URL and answers with what it returns', async () => {
    // Prepare
    const { serve, events } = host(async () => ({ statusCode: 401, body: 'missing signature' }));
    // Act
    const first = await serve('chat-actions', request);
    await serve('chat-actions', request);
    // Assess
    expect(first).toStrictEqual({ statusCode: 401, headers: {}, body: 'missing signature' });
    const [one, two] = events as { version: string; requestContext: { domainName: string } }[];
    expect(one?.version).toBe('2.0');
    expect(one?.requestContext.domainName).toMatch(
      /^[0-9a-f]{32}\.lambda-url\.eu-west-1\.on\.aws$/,
    );
    expect(two?.requestContext.domainName).toBe(one?.requestContext.domainName);
  });

  it('answers 502 when the function fails, and refuses a function without a URL', async () => {
    // Prepare
    const { serve } = host(async () => {
      throw new Error('cold start failed');
    });
    // Act
    const failed = await serve('chat-actions', request);
    const none = await serve('deployment-guard', request).catch((e: Error) => e.message);
    // Assess
    expect(failed).toStrictEqual({ statusCode: 502, headers: {}, body: 'Internal Server Error' });
    expect(none).toBe('deployment-guard has no function URL in serverless.yml');
  });
});
