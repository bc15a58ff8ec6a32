import { ecsErrors } from './ecs-context.ts';

/** One page of `items` for ECS List* calls; tokens are opaque offsets. */
export const page = <T>(
  items: T[],
  maxResults: number | undefined,
  token: string | undefined,
  limit: number,
  defaultSize = limit,
): { items: T[]; nextToken?: string } => {
  if (
    maxResults !== undefined &&
    (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limit)
  ) {
    throw ecsErrors.invalid(`maxResults must be between 1 and ${limit}.`);
  }
  let offset = 0;
  if (token !== undefined) {
    offset = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0) throw ecsErrors.invalid('Invalid nextToken.');
  }
  const size = maxResults ?? defaultSize;
  const slice = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length
    ? { items: slice, nextToken: Buffer.from(`offset:${next}`).toString('base64url') }
    : { items: slice };
};
