/** One request as the SDK sent it: the operation (from X-Amz-Target) and its JSON body. */
interface SentRequest {
  operation: string;
  body: Record<string, unknown>;
}

type Answer = { status?: number; body: unknown };

/**
 * An HTTP handler for the AWS SDK that answers JSON-protocol calls (ECS's AWS JSON 1.1,
 * CloudWatch's JSON 1.0) from a function, so an adapter runs through the SDK's own serializers
 * and parsers. An answer with a status of 400 and `__type` is an AWS error.
 */
const fakeAwsHttp = (answer: (request: SentRequest) => Answer) => {
  const sent: SentRequest[] = [];
  const handler = {
    handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
      const target = request.headers['x-amz-target'] ?? '';
      const sentRequest = {
        operation: target.split('.').pop() ?? '',
        body: JSON.parse(String(request.body ?? '{}')) as Record<string, unknown>,
      };
      sent.push(sentRequest);
      const { status = 200, body } = answer(sentRequest);
      return {
        // The SDK recognises a response by its shape (HttpResponse.isInstance).
        response: {
          statusCode: status,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: new TextEncoder().encode(JSON.stringify(body)),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  const config = {
    region: 'us-west-2',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: handler,
    maxAttempts: 1,
  };
  return { config, sent };
};

/** ISO timestamps of an SDK example as the wire has them (epoch seconds), recursively. */
const wireTimestamps = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(wireTimestamps);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wireTimestamps(v)]));
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(value))
    return Date.parse(value) / 1000;
  return value;
};

export { fakeAwsHttp, type SentRequest, wireTimestamps };
