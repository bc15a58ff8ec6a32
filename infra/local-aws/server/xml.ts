import type { AwsError } from '../core/aws-error.ts';

/** Escapes text for an XML element body. */
export const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** `<name>text</name>` with the text escaped, or '' when `value` is undefined. */
export const element = (name: string, value: string | number | boolean | undefined): string =>
  value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;

/** `<name>…children…</name>` with children already rendered. */
export const wrap = (name: string, children: string): string => `<${name}>${children}</${name}>`;

/** An awsQuery success document for `operation` with a rendered `<…Result>` body (or none). */
export const queryResponse = (
  operation: string,
  namespace: string,
  requestId: string,
  result: string | undefined,
): string =>
  `<${operation}Response xmlns="${namespace}">` +
  (result === undefined ? '' : wrap(`${operation}Result`, result)) +
  wrap('ResponseMetadata', element('RequestId', requestId)) +
  `</${operation}Response>`;

/** An awsQuery error document. */
export const queryError = (error: AwsError, namespace: string, requestId: string): string =>
  `<ErrorResponse xmlns="${namespace}">` +
  wrap(
    'Error',
    element('Type', error.fault) +
      element('Code', error.queryCode ?? error.code) +
      element('Message', error.message),
  ) +
  element('RequestId', requestId) +
  '</ErrorResponse>';
