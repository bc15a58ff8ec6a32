/** An error answered in a service's own wire format (JSON `__type`, or a query XML `<Code>`). */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra members of the error shape (e.g. `resourceIds` of ECS ConflictException). */
  readonly fields: Record<string, unknown>;
  /** The awsQuery error code, for query-compatible JSON services (SQS, CloudWatch). */
  readonly queryCode: string | undefined;
  /** Extra HTTP headers (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    message: string,
    status = 400,
    options: {
      fields?: Record<string, unknown>;
      queryCode?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.fields = options.fields ?? {};
    this.queryCode = options.queryCode;
    this.headers = options.headers ?? {};
  }

  /** `Sender` for 4xx, `Receiver` for 5xx, as query protocols report it. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** Creates an error factory bound to one error code and status. */
export const errorOf =
  (code: string, status = 400) =>
  (message: string, fields?: Record<string, unknown>): AwsError =>
    new AwsError(code, message, status, fields === undefined ? {} : { fields });
