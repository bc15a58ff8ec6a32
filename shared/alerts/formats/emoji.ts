import type { Severity } from '#kernel/alerts/model.ts';

/** The emoji shortcode chat clients render for each severity. */
const SEVERITY_EMOJI: Record<Severity, string> = {
  info: ':information_source:',
  warning: ':warning:',
  error: ':red_circle:',
  critical: ':rotating_light:',
};

/** Clips text to a limit, marking the cut. */
const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}\u2026`;

export { clip, SEVERITY_EMOJI };
