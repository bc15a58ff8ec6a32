import { randomHex, uuid } from './ids.ts';

/**
 * The event a Lambda function URL hands its function (Lambda Developer Guide, urls-invocation.html,
 * "Request payload format", payload version 2.0). With auth type NONE, `requestContext.accountId`
 * is "anonymous". The body is base64-encoded unless its content type is text: function URLs
 * base64-encode `application/x-www-form-urlencoded` bodies, such as Slack's interaction requests
 * (reported by LeanerCloud/CUDly#1483 and brefphp/bref#631), so a handler must decode before it
 * verifies a signature over the raw body.
 */
export interface FunctionUrlEvent {
  version: '2.0';
  routeKey: '$default';
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: '$default';
    stage: '$default';
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml)\b|[^;]*\+(json|xml)\b)/i;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// "12/Mar/2020:19:03:58 +0000", as the documented example writes requestContext.time.
const clf = (at: Date): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${pad(at.getUTCHours())}:${pad(
    at.getUTCMinutes(),
  )}:${pad(at.getUTCSeconds())} +0000`;
};

/** Builds the function URL event for an HTTP request (POST to the URL's root by default). */
export const functionUrlEvent = (
  request: { method?: string; path?: string; headers: Record<string, string>; body?: string },
  options: { region: string; now: Date; urlId?: string; sourceIp?: string },
): FunctionUrlEvent => {
  const urlId = options.urlId ?? randomHex(32);
  const domainName = `${urlId}.lambda-url.${options.region}.on.aws`;
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const sourceIp = options.sourceIp ?? '203.0.113.10';
  const [rawPath = '/', rawQueryString = ''] = (request.path ?? '/').split('?');
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: {
      ...headers,
      host: domainName,
      'x-amzn-trace-id': `Root=1-${Math.floor(options.now.getTime() / 1000).toString(16)}-${randomHex(24)}`,
      'x-forwarded-for': sourceIp,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName,
      domainPrefix: urlId,
      http: {
        method: request.method ?? 'POST',
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: uuid(),
      routeKey: '$default',
      stage: '$default',
      time: clf(options.now),
      timeEpoch: options.now.getTime(),
    },
    ...(request.body === undefined
      ? {}
      : { body: text ? request.body : Buffer.from(request.body).toString('base64') }),
    isBase64Encoded: request.body !== undefined && !text,
  };
};
