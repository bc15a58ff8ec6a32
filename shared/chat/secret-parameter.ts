import { GetParameterCommand, SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { ConfigError } from '#kernel/errors.ts';
import { registerSecret } from '#kernel/secrets.ts';

/**
 * A credential of the Slack app (the bot token, the signing secret), read once at cold start from
 * an SSM SecureString or a Secrets Manager secret through /aws/reference/secretsmanager/: the value
 * itself, or a key/value document holding it (`key`, or the only value of the right shape). It is
 * registered as a secret before anything could print it; a value of the wrong shape fails the cold
 * start naming the configuration field and the parameter, never the value.
 */
const readSlackSecret = async (
  clientConfig: SSMClientConfig,
  spec: {
    field: string;
    parameter: string;
    key?: string | undefined;
    /** What the value looks like (xoxb-..., 32 hex digits). */
    shape: RegExp;
    expected: string;
  },
): Promise<string> => {
  const ssm = new SSMClient(clientConfig);
  const output = await ssm.send(
    new GetParameterCommand({ Name: spec.parameter, WithDecryption: true }),
  );
  const value = output.Parameter?.Value?.trim() ?? '';
  registerSecret(value);
  if (spec.shape.test(value)) return value;
  let document: unknown;
  try {
    document = value.startsWith('{') ? JSON.parse(value) : undefined;
  } catch {
    document = undefined;
  }
  if (document && typeof document === 'object' && !Array.isArray(document)) {
    const entries = Object.entries(document).filter(
      ([name, v]) =>
        typeof v === 'string' &&
        spec.shape.test(v) &&
        (spec.key === undefined || name === spec.key),
    );
    const found = entries.length === 1 ? (entries[0]?.[1] as string) : undefined;
    if (found) {
      registerSecret(found);
      return found;
    }
  }
  throw new ConfigError('a Slack app secret', [
    {
      path: spec.field,
      message: `${spec.parameter} holds no ${spec.expected} (${value.length} characters${document ? ', a JSON document' : ''})`,
    },
  ]);
};

export { readSlackSecret };
