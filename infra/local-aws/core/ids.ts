import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

/** A random v4 UUID. */
export const uuid = (): string => randomUUID();

/** `length` random lowercase hex characters. */
export const randomHex = (length: number): string =>
  randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);

/** `length` random decimal digits, never starting with 0. */
export const randomDigits = (length: number): string => {
  let out = String(randomInt(1, 10));
  while (out.length < length) out += String(randomInt(0, 10));
  return out;
};

/** A stable hex digest of `text` (for fake image digests and the like). */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** An ECS service deployment id: `ecs-svc/` followed by 19 digits. */
export const deploymentId = (): string => `ecs-svc/${randomDigits(19)}`;
