import { GATE_MODES, type GateMode } from './config.ts';

/** The service tags that set the gates' modes, as the guard's tags set its triggers'. */
const DELIVERY_TAGS = {
  /** enforce | notify | off: every gate. */
  mode: 'harbormaster:delivery',
  policyGate: 'harbormaster:delivery:policy-gate',
  analysisGate: 'harbormaster:delivery:analysis-gate',
} as const;

interface DeliveryTagLayer {
  mode?: GateMode;
  policyGate?: GateMode;
  analysisGate?: GateMode;
  /** Tags that could not be read (reported in alerts, never fatal). */
  problems: string[];
}

const isMode = (value: string): value is GateMode =>
  (GATE_MODES as readonly string[]).includes(value);

/** Reads the gates' modes from a service's tags; an unreadable tag is named, never fatal. */
const readDeliveryTags = (tags: Readonly<Record<string, string>>): DeliveryTagLayer => {
  const layer: DeliveryTagLayer = { problems: [] };
  for (const [field, key] of Object.entries(DELIVERY_TAGS) as [
    keyof typeof DELIVERY_TAGS,
    string,
  ][]) {
    const value = tags[key]?.trim();
    if (value === undefined) continue;
    if (isMode(value)) layer[field] = value;
    else layer.problems.push(`${key}="${value.slice(0, 64)}": expected ${GATE_MODES.join(', ')}`);
  }
  return layer;
};

export { DELIVERY_TAGS, readDeliveryTags };
