import { errorOf } from '../core/aws-error.ts';
import type { SimClock } from '../core/clock.ts';
import { randomHex, sha256Hex, uuid } from '../core/ids.ts';
import { type JsonObject, readInput } from '../core/input.ts';
import { epochSeconds } from '../core/time-format.ts';
import type { JsonService } from '../server/service-types.ts';

/** Parameter types SSM supports. */
export type ParameterType = 'String' | 'StringList' | 'SecureString';

interface ParameterVersion {
  value: string;
  type: ParameterType;
  version: number;
  modifiedAt: number;
  description?: string;
}

interface Secret {
  id: string;
  value: string;
  arn: string;
  versionId: string;
  createdAt: number;
}

const validation = errorOf('ValidationException');
const notFound = errorOf('ParameterNotFound');
const versionNotFound = errorOf('ParameterVersionNotFound');
const alreadyExists = errorOf('ParameterAlreadyExists');

const SECRET_PREFIX = '/aws/reference/secretsmanager/';
const TYPES = new Set<string>(['String', 'StringList', 'SecureString']);

/** In-memory Systems Manager Parameter Store, with Secrets Manager references. */
export class SsmModel {
  readonly #region: string;
  readonly #accountId: string;
  readonly #clock: SimClock;
  readonly #parameters = new Map<string, ParameterVersion[]>();
  readonly #secrets = new Map<string, Secret>();

  constructor(options: { region: string; accountId: string; clock: SimClock }) {
    this.#region = options.region;
    this.#accountId = options.accountId;
    this.#clock = options.clock;
  }

  /** Seeds (or overwrites) a parameter. */
  put(name: string, value: string, type: ParameterType = 'String'): void {
    const versions = this.#parameters.get(name) ?? [];
    versions.push({ value, type, version: versions.length + 1, modifiedAt: this.#clock.nowMs() });
    this.#parameters.set(name, versions);
  }

  /** Seeds a Secrets Manager secret, readable as `/aws/reference/secretsmanager/<id>`. */
  putSecret(id: string, value: string): void {
    this.#secrets.set(id, {
      id,
      value,
      arn: `arn:aws:secretsmanager:${this.#region}:${this.#accountId}:secret:${id}-${randomHex(6)}`,
      versionId: uuid(),
      createdAt: this.#clock.nowMs(),
    });
  }

  /** The current value of a parameter, if any. */
  get(name: string): string | undefined {
    return this.#parameters.get(name)?.at(-1)?.value;
  }

  /** GetParameter. */
  getParameter(input: JsonObject): { Parameter: JsonObject } {
    const read = readInput(input, validation);
    return { Parameter: this.#lookup(read.str('Name'), read.optBool('WithDecryption') ?? false) };
  }

  /** PutParameter. */
  putParameter(input: JsonObject): { Version: number; Tier: string } {
    const read = readInput(input, validation);
    const name = read.str('Name');
    const value = read.str('Value');
    const existing = this.#parameters.get(name);
    const type = read.optStr('Type') ?? existing?.at(-1)?.type;
    if (type === undefined || !TYPES.has(type)) {
      throw validation('A parameter type is required when you create a parameter.');
    }
    if (/^\/?(aws|ssm)/i.test(name)) {
      throw validation(
        'No access to reserved parameter name: ' +
          `${name}. Parameter names can't be prefixed with "aws" or "ssm" (case-insensitive).`,
      );
    }
    if (value.length > 4096) {
      throw validation(
        'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.',
      );
    }
    if (existing !== undefined && read.optBool('Overwrite') !== true) {
      throw alreadyExists(
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    this.put(name, value, type as ParameterType);
    return { Version: this.#parameters.get(name)?.length ?? 1, Tier: 'Standard' };
  }

  /** Wire service (AWS JSON 1.1, `AmazonSSM.<Operation>`). */
  wire(): JsonService {
    return {
      name: 'ssm',
      protocol: 'json',
      targetPrefix: 'AmazonSSM',
      jsonVersion: '1.1',
      queryCompatible: false,
      operations: {
        GetParameter: (input) => this.getParameter(input),
        GetParameters: (input) => {
          const read = readInput(input, validation);
          const decrypt = read.optBool('WithDecryption') ?? false;
          const Parameters: JsonObject[] = [];
          const InvalidParameters: string[] = [];
          for (const name of read.optStrArr('Names') ?? []) {
            try {
              Parameters.push(this.#lookup(name, decrypt));
            } catch {
              InvalidParameters.push(name);
            }
          }
          return { Parameters, InvalidParameters };
        },
        PutParameter: (input) => this.putParameter(input),
        DeleteParameter: (input) => {
          const name = readInput(input, validation).str('Name');
          if (!this.#parameters.delete(name)) throw notFound('');
          return {};
        },
      },
    };
  }

  #lookup(rawName: string, decrypt: boolean): JsonObject {
    if (rawName.startsWith(SECRET_PREFIX)) return this.#secretParameter(rawName, decrypt);
    const arnName = /^arn:aws:ssm:[^:]+:\d+:parameter(\/.*)$/.exec(rawName)?.[1];
    const full = arnName ?? rawName;
    const selectorAt = full.lastIndexOf(':');
    const name = selectorAt > 0 ? full.slice(0, selectorAt) : full;
    const selector = selectorAt > 0 ? full.slice(selectorAt + 1) : undefined;
    const lookupName = arnName !== undefined && !name.startsWith('/') ? name.slice(1) : name;
    const versions = this.#parameters.get(lookupName) ?? this.#parameters.get(name);
    if (versions === undefined || versions.length === 0) throw notFound('');
    const current = versions.at(-1);
    const chosen =
      selector === undefined ? current : versions.find((v) => String(v.version) === selector);
    if (chosen === undefined) {
      throw versionNotFound(
        `Systems Manager could not find version ${selector ?? ''} of ${name}. Verify the version and try again.`,
      );
    }
    const value =
      chosen.type === 'SecureString' && !decrypt
        ? Buffer.from(`local-kms:${sha256Hex(chosen.value)}`).toString('base64')
        : chosen.value;
    return {
      Name: lookupName,
      Type: chosen.type,
      Value: value,
      Version: chosen.version,
      ...(selector === undefined ? {} : { Selector: `:${selector}` }),
      LastModifiedDate: epochSeconds(chosen.modifiedAt),
      ARN: `arn:aws:ssm:${this.#region}:${this.#accountId}:parameter/${lookupName.replace(/^\//, '')}`,
      DataType: 'text',
    };
  }

  #secretParameter(name: string, decrypt: boolean): JsonObject {
    if (!decrypt) {
      throw validation('WithDecryption flag must be True for retrieving a Secret Manager secret.');
    }
    const id = name.slice(SECRET_PREFIX.length);
    const secret = this.#secrets.get(id);
    if (secret === undefined) throw notFound(`Secret ${id} not found.`);
    return {
      Name: name,
      Type: 'SecureString',
      Value: secret.value,
      Version: 0,
      SourceResult: JSON.stringify({
        ARN: secret.arn,
        CreatedDate: new Date(secret.createdAt).toISOString(),
        Name: secret.id,
        SecretString: secret.value,
        VersionId: secret.versionId,
        VersionStages: ['AWSCURRENT'],
      }),
      LastModifiedDate: epochSeconds(secret.createdAt),
      ARN: secret.arn,
      DataType: 'text',
    };
  }
}
