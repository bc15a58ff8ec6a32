import { randomBytes } from 'node:crypto';
import { functionUrlEvent } from '@harbormaster/local-aws';
import type { LocalLambda } from './local-lambda.ts';

/** An HTTP request to a function URL, and its answer. */
interface UrlRequest {
  headers: Record<string, string>;
  body?: string;
}
interface UrlResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The function URLs of the functions serverless.yml gives one (`url`), served as Lambda serves them
 * (urls-invocation.html): each URL has an id of its own (<url-id>.lambda-url.<region>.on.aws), a
 * request becomes a payload format 2.0 event, the function runs synchronously, its answer is the
 * HTTP response, and a function error is answered 502.
 */
const functionUrls = (parts: {
  lambda: LocalLambda;
  region: string;
  now: () => Date;
  withUrl: readonly string[];
}) => {
  const urlIds = new Map<string, string>();
  return async (name: string, request: UrlRequest): Promise<UrlResponse> => {
    if (!parts.withUrl.includes(name))
      throw new Error(`${name} has no function URL in serverless.yml`);
    const urlId = urlIds.get(name) ?? randomBytes(16).toString('hex');
    urlIds.set(name, urlId);
    const event = functionUrlEvent(request, { region: parts.region, now: parts.now(), urlId });
    try {
      const answer = (await parts.lambda.invoke(name, event)) as unknown as Partial<UrlResponse>;
      return {
        statusCode: answer.statusCode ?? 200,
        headers: answer.headers ?? {},
        body: answer.body ?? '',
      };
    } catch {
      return { statusCode: 502, headers: {}, body: 'Internal Server Error' };
    }
  };
};

export { functionUrls, type UrlRequest, type UrlResponse };
