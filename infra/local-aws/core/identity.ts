import { createHash } from 'node:crypto';
import { isoSeconds } from './time-format.ts';

/** Who made a request: the access key from its Authorization header and the IAM principal ARN. */
export interface Principal {
  accessKeyId: string;
  arn: string;
}

/** The access key id the endpoint hands out in `env`. */
export const DEFAULT_ACCESS_KEY_ID = 'AKIALOCALAWS00000001';

/** Maps access key ids to principal ARNs (unknown keys act as an IAM user named after the key). */
export class IdentityRegistry {
  readonly #accountId: string;
  readonly #principals = new Map<string, string>();

  constructor(accountId: string, principals: Record<string, string> = {}) {
    this.#accountId = accountId;
    this.#principals.set(DEFAULT_ACCESS_KEY_ID, `arn:aws:iam::${accountId}:user/local-developer`);
    for (const [key, arn] of Object.entries(principals)) this.#principals.set(key, arn);
  }

  /** Makes requests signed with `accessKeyId` act as `arn` (an IAM user, role session or root). */
  set(accessKeyId: string, arn: string): void {
    this.#principals.set(accessKeyId, arn);
  }

  /** The principal behind `accessKeyId`. */
  resolve(accessKeyId: string = DEFAULT_ACCESS_KEY_ID): Principal {
    const arn =
      this.#principals.get(accessKeyId) ?? `arn:aws:iam::${this.#accountId}:user/${accessKeyId}`;
    return { accessKeyId, arn };
  }
}

// Stable fake unique ids (AIDA…/AROA…), derived from the ARN so repeated calls agree.
const uniqueId = (prefix: string, arn: string): string =>
  prefix +
  createHash('sha256')
    .update(arn)
    .digest('hex')
    .toUpperCase()
    .replace(/[^A-Z2-7]/g, '')
    .padEnd(17, 'Q')
    .slice(0, 17);

/** The IAM role ARN behind an assumed-role session ARN (or the ARN itself). */
export const roleArnOf = (arn: string): string => {
  const match = /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return match === null ? arn : `arn:aws:iam::${match[1]}:role/${match[2]}`;
};

/** CloudTrail `userIdentity` for `principal`. */
export const cloudTrailIdentity = (
  principal: Principal,
  accountId: string,
  at: number,
): Record<string, unknown> => {
  const { arn, accessKeyId } = principal;
  const assumed = /^arn:aws:sts::\d+:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (assumed !== null) {
    const roleName = assumed[1] ?? 'role';
    const roleId = uniqueId('AROA', roleArnOf(arn));
    return {
      type: 'AssumedRole',
      principalId: `${roleId}:${assumed[2] ?? 'session'}`,
      arn,
      accountId,
      accessKeyId,
      sessionContext: {
        attributes: { mfaAuthenticated: 'false', creationDate: isoSeconds(at) },
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: roleArnOf(arn),
          accountId,
          userName: roleName,
        },
      },
    };
  }
  if (arn.endsWith(':root')) {
    return { type: 'Root', principalId: accountId, arn, accountId, accessKeyId };
  }
  const userName = arn.split('/').pop() ?? 'user';
  return {
    type: 'IAMUser',
    principalId: uniqueId('AIDA', arn),
    arn,
    accountId,
    accessKeyId,
    userName,
  };
};
