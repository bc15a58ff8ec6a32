import type { Severity } from '#kernel/alerts/model.ts';

/** The emoji shortcode chat clients render for each severity. */
const SEVERITY_EMOJI: Record<Severity, string> = {
  info: ':information_source:',
  warning: ':warning:',
  error: ':red_circle:',
  critical: ':rotating_light:',
};

export { SEVERITY_EMOJI };
