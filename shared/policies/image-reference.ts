/** The parts of a container image reference: `[registry[:port]/]repository[:tag][@digest]`. */
interface ImageReference {
  /** The registry host (`docker.io` when the reference names none). */
  registry: string;
  /** The repository path inside the registry (`library/nginx` for Docker Hub's official images). */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

// Docker's rule: the first component is a registry when it has a dot or a port, or is localhost.
const isRegistry = (component: string): boolean =>
  component.includes('.') || component.includes(':') || component === 'localhost';

/** Splits an image reference as Docker does; undefined for an empty or malformed one. */
const parseImageReference = (image: string): ImageReference | undefined => {
  const trimmed = image.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return undefined;
  const at = trimmed.indexOf('@');
  const name = at === -1 ? trimmed : trimmed.slice(0, at);
  const digest = at === -1 ? undefined : trimmed.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const path = colon > slash ? name.slice(0, colon) : name;
  if (path === '' || tag === '') return undefined;
  const [first = '', ...rest] = path.split('/');
  const hasRegistry = rest.length > 0 && isRegistry(first);
  const registry = hasRegistry ? first : 'docker.io';
  const repoPath = hasRegistry ? rest.join('/') : path;
  const repository =
    registry === 'docker.io' && !repoPath.includes('/') ? `library/${repoPath}` : repoPath;
  return { registry, repository, tag, digest };
};

/** True for an immutable sha256 digest as ECR and Docker registries compute them. */
const isSha256Digest = (digest: string | undefined): boolean =>
  digest !== undefined && SHA256_DIGEST.test(digest);

export { type ImageReference, isSha256Digest, parseImageReference };
