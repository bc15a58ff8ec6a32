import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity } from '../core/activity.ts';
import { AwsError } from '../core/aws-error.ts';
import type { CallLog } from '../core/call-log.ts';
import type { SimClock } from '../core/clock.ts';
import { type FaultInjector, faultError, type ServiceName } from '../core/faults.ts';
import type { IdentityRegistry } from '../core/identity.ts';
import { uuid } from '../core/ids.ts';
import { isObject, type JsonObject } from '../core/input.ts';
import type { RequestThrottle } from '../core/request-throttle.ts';
import type { LocalScheduler } from '../scheduler/local-scheduler.ts';
import { handleSchedulerRequest } from '../scheduler/scheduler-http.ts';
import { createSlackHandler } from '../slack/slack-http.ts';
import type { SlackSink } from '../slack/slack-sink.ts';
import { parseQueryBody } from './query-params.ts';
import type { CallContext, JsonService, QueryService, WireService } from './service-types.ts';
import { queryError, queryResponse } from './xml.ts';

/** Everything the HTTP endpoint dispatches to. */
export interface EndpointDeps {
  services: WireService[];
  slack: SlackSink;
  faults: FaultInjector;
  throttle: RequestThrottle;
  calls: CallLog;
  identities: IdentityRegistry;
  clock: SimClock;
  activity: Activity;
  /** EventBridge Scheduler's REST API (`/schedules/...`). */
  scheduler?: { scheduler: LocalScheduler; region: string; accountId: string };
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface Resolved {
  service: WireService;
  operation: string;
  input: JsonObject;
  decodeError?: AwsError;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const CREDENTIAL =
  /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]+)\/\d{8}\/[a-z0-9-]+\/[a-z0-9-]+\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]+$/;

// Signatures are not verified, but a request must carry a well-formed one, as AWS requires.
const authenticate = (header: string | undefined, json: boolean): string | AwsError => {
  if (header === undefined || header === '') {
    return new AwsError(
      json ? 'MissingAuthenticationTokenException' : 'MissingAuthenticationToken',
      'Missing Authentication Token',
      403,
    );
  }
  const match = CREDENTIAL.exec(header);
  if (match?.[1] === undefined) {
    return new AwsError(
      json ? 'IncompleteSignatureException' : 'IncompleteSignature',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header}`,
      403,
    );
  }
  return match[1];
};

const resolveJson = (service: JsonService, target: string, body: string): Resolved => {
  const operation = target.slice(service.targetPrefix.length + 1);
  try {
    const parsed: unknown = body === '' ? {} : JSON.parse(body);
    if (!isObject(parsed)) throw new Error('not an object');
    return { service, operation, input: parsed };
  } catch {
    return {
      service,
      operation,
      input: {},
      decodeError: new AwsError(
        'SerializationException',
        'Start of structure or map found where not expected.',
      ),
    };
  }
};

const resolveQuery = (services: QueryService[], body: string): Resolved | undefined => {
  const tree = parseQueryBody(body);
  const action = typeof tree.Action === 'string' ? tree.Action : '';
  const version = typeof tree.Version === 'string' ? tree.Version : '';
  const service = services.find((s) => s.apiVersion === version);
  if (service === undefined) return undefined;
  try {
    return { service, operation: action, input: service.decode(action, tree) };
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return { service, operation: action, input: {}, decodeError: error };
  }
};

const jsonReply = (service: JsonService, requestId: string, output: unknown): Reply => ({
  status: 200,
  headers: {
    'content-type': `application/x-amz-json-${service.jsonVersion}`,
    'x-amzn-requestid': requestId,
  },
  body: JSON.stringify(output ?? {}),
});

const jsonError = (service: JsonService, requestId: string, error: AwsError): Reply => {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${service.jsonVersion}`,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
    ...error.headers,
  };
  if (service.queryCompatible) {
    headers['x-amzn-query-error'] = `${error.queryCode ?? error.code};${error.fault}`;
  }
  return {
    status: error.status,
    headers,
    body: JSON.stringify({ __type: error.code, message: error.message, ...error.fields }),
  };
};

const queryReply = (
  service: QueryService,
  requestId: string,
  operation: string,
  output: unknown,
): Reply => ({
  status: 200,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
  body: queryResponse(
    operation,
    service.xmlNamespace,
    requestId,
    service.encode(operation, output),
  ),
});

const queryErrorReply = (service: QueryService, requestId: string, error: AwsError): Reply => ({
  status: error.status,
  headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...error.headers },
  body: queryError(error, service.xmlNamespace, requestId),
});

const unknownOperation = (service: WireService, operation: string): AwsError =>
  service.protocol === 'json'
    ? new AwsError('UnknownOperationException', `Operation ${operation} is not supported.`)
    : new AwsError(
        'InvalidAction',
        `Could not find operation ${operation} for version ${service.apiVersion}`,
      );

/** A request listener that routes AWS requests to the service models and the Slack sink. */
export const createEndpoint = (
  deps: EndpointDeps,
): ((req: IncomingMessage, res: ServerResponse) => void) => {
  const jsonServices = deps.services.filter((s): s is JsonService => s.protocol === 'json');
  const queryServices = deps.services.filter((s): s is QueryService => s.protocol === 'query');

  const record = (
    service: ServiceName,
    operation: string,
    input: unknown,
    status: number,
    requestId: string,
    errorCode?: string,
    userAgent?: string,
  ): void => {
    deps.calls.record({
      service,
      operation,
      input,
      at: deps.clock.now(),
      receivedAtMs: Date.now(),
      status,
      requestId,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...(userAgent === undefined ? {} : { userAgent }),
    });
  };

  const handleSlack = createSlackHandler(deps);

  const handleAws = async (req: IncomingMessage, body: string): Promise<Reply> => {
    const requestId = uuid();
    const userAgent = String(req.headers['user-agent'] ?? '');
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = jsonServices.find((s) => target.startsWith(`${s.targetPrefix}.`));
    const resolved = json ? resolveJson(json, target, body) : resolveQuery(queryServices, body);
    if (resolved === undefined) {
      return {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        body: 'Unknown AWS request',
      };
    }
    const { service, operation, input } = resolved;
    const fail = (error: AwsError): Reply => {
      record(service.name, operation, input, error.status, requestId, error.code, userAgent);
      return service.protocol === 'json'
        ? jsonError(service, requestId, error)
        : queryErrorReply(service, requestId, error);
    };
    const auth = authenticate(req.headers.authorization, service.protocol === 'json');
    if (auth instanceof AwsError) return fail(auth);
    const principal = deps.identities.resolve(auth);
    const call: CallContext = {
      principal,
      requestId,
      userAgent,
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    };
    if (resolved.decodeError) return fail(resolved.decodeError);
    // Documented request buckets first (a throttled call never reaches the operation), then the
    // injected faults.
    if (deps.throttle.take(service.name, operation, input) !== undefined)
      return fail(faultError(service.name, operation, 'ThrottlingException', principal.arn));
    const fault = deps.faults.check(service.name, operation, input, principal.arn);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    const run = service.operations[operation];
    // A lost response: the operation runs (its write is applied) and then the answer is an error,
    // or comes after the client's timeout.
    const runsFirst = fault.afterOperation === true || fault.holdResponseMs !== undefined;
    let output: unknown;
    try {
      if (fault.error && !runsFirst) throw fault.error;
      if (run === undefined) throw unknownOperation(service, operation);
      output = run(input, call);
      if (fault.holdResponseMs !== undefined) await sleep(fault.holdResponseMs);
      if (fault.error) throw fault.error;
    } catch (caught) {
      const error =
        caught instanceof AwsError ? caught : new AwsError('InternalFailure', String(caught), 500);
      if (!(caught instanceof AwsError)) console.error('local-aws: operation failed', caught);
      if (service.protocol === 'json') service.onCompleted?.(operation, input, { error }, call);
      return fail(error);
    }
    if (service.protocol === 'json') service.onCompleted?.(operation, input, { output }, call);
    record(service.name, operation, input, 200, requestId, undefined, userAgent);
    return service.protocol === 'json'
      ? jsonReply(service, requestId, output)
      : queryReply(service, requestId, operation, output);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    let reply: Reply;
    if ((req.url ?? '').startsWith('/schedules/') && deps.scheduler) {
      const auth = authenticate(req.headers.authorization, true);
      reply =
        auth instanceof AwsError
          ? {
              status: auth.status,
              headers: { 'content-type': 'application/json', 'x-amzn-errortype': auth.code },
              body: JSON.stringify({ Message: auth.message }),
            }
          : handleSchedulerRequest(
              { ...deps.scheduler, calls: deps.calls, clock: deps.clock },
              req,
              body,
            );
    } else if (req.method === 'GET') {
      reply = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'local-aws' };
    } else if ((req.url ?? '').startsWith('/slack/')) {
      reply = await handleSlack(req, body);
    } else {
      reply = await handleAws(req, body);
    }
    res.writeHead(reply.status, {
      ...reply.headers,
      'content-length': Buffer.byteLength(reply.body),
    });
    res.end(reply.body);
  };

  return (req, res) => {
    const done = deps.activity.begin();
    res.on('close', done);
    handle(req, res).catch((error: unknown) => {
      console.error('local-aws: request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  };
};
