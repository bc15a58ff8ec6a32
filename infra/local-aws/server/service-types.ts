import type { AwsError } from '../core/aws-error.ts';
import type { ServiceName } from '../core/faults.ts';
import type { Principal } from '../core/identity.ts';
import type { JsonObject } from '../core/input.ts';
import type { QueryTree } from './query-params.ts';

/** Facts about one request that operations and CloudTrail need. */
export interface CallContext {
  principal: Principal;
  requestId: string;
  userAgent: string;
  sourceIp: string;
}

/** One operation: decoded input in, plain output out (or an AwsError thrown). */
export type Operation = (input: JsonObject, call: CallContext) => unknown;

/** How an operation ended, for hooks such as CloudTrail. */
export interface CallOutcome {
  output?: unknown;
  error?: AwsError;
}

/** A service speaking AWS JSON 1.0/1.1 (`X-Amz-Target: <prefix>.<Operation>`). */
export interface JsonService {
  name: ServiceName;
  protocol: 'json';
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** awsQueryCompatible services also send `x-amzn-query-error`. */
  queryCompatible: boolean;
  operations: Record<string, Operation>;
  onCompleted?: (
    operation: string,
    input: JsonObject,
    outcome: CallOutcome,
    call: CallContext,
  ) => void;
}

/** A service speaking the awsQuery protocol (form-encoded request, XML response). */
export interface QueryService {
  name: ServiceName;
  protocol: 'query';
  apiVersion: string;
  xmlNamespace: string;
  /** Turns the form tree into the operation's input object. */
  decode: (operation: string, params: QueryTree) => JsonObject;
  operations: Record<string, Operation>;
  /** Renders the `<…Result>` body for `output` (undefined for operations without one). */
  encode: (operation: string, output: unknown) => string | undefined;
}

/** Any service the endpoint routes to. */
export type WireService = JsonService | QueryService;
