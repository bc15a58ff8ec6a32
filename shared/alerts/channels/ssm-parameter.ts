import { GetParameterCommand, SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';

/** Reads a decrypted SSM parameter (or a Secrets Manager secret through /aws/reference/secretsmanager/). */
const readParameter = async (clientConfig: SSMClientConfig, name: string): Promise<string> => {
  const ssm = new SSMClient(clientConfig);
  const output = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const value = output.Parameter?.Value;
  if (!value) throw new Error(`SSM parameter ${name} has no value`);
  return value;
};

export { readParameter };
