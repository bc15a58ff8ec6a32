import type { AnalysisConfig } from './analysis/config.ts';
import type { DeliveryConfig, DeliveryServiceLayer, GateMode } from './config.ts';
import { readDeliveryTags } from './tags.ts';

/** The gates' settings for one service, after configuration and tags. */
interface DeliverySettings {
  policyGate: { mode: GateMode };
  analysisGate: {
    mode: GateMode;
    stages: string[];
    onInconclusive: 'pass' | 'fail';
    analyses: AnalysisConfig[];
    dataDelaySeconds: number;
  };
  approvals: { stages: string[]; timeoutInMinutes: number; timeoutAction: 'ROLLBACK' | 'CONTINUE' };
  /** Tags that could not be read. */
  problems: string[];
}

const matches = (layer: DeliveryServiceLayer, cluster: string, service: string): boolean =>
  (layer.cluster === '*' || layer.cluster === cluster) &&
  (layer.service === '*' || layer.service === service);

/**
 * Resolves a service's settings. Layers apply in order: the global configuration, each matching
 * `services` entry, then the service's tags (modes only). A layer's `mode` sets every gate's mode;
 * a gate's own `mode` in the same layer wins over it.
 */
const resolveDeliverySettings = (
  config: DeliveryConfig,
  cluster: string,
  service: string,
  tags: Readonly<Record<string, string>>,
): DeliverySettings => {
  const gate = config.analysisGate;
  const settings: DeliverySettings = {
    policyGate: { mode: config.policyGate.mode ?? config.mode },
    analysisGate: {
      mode: gate.mode ?? config.mode,
      stages: [...gate.stages],
      onInconclusive: gate.onInconclusive,
      analyses: [...gate.analyses],
      dataDelaySeconds: gate.dataDelaySeconds,
    },
    approvals: { ...config.approvals, stages: [...config.approvals.stages] },
    problems: [],
  };
  for (const layer of config.services.filter((l) => matches(l, cluster, service))) {
    if (layer.mode) settings.policyGate.mode = settings.analysisGate.mode = layer.mode;
    if (layer.policyGate?.mode) settings.policyGate.mode = layer.policyGate.mode;
    const a = layer.analysisGate;
    if (a?.mode) settings.analysisGate.mode = a.mode;
    if (a?.stages) settings.analysisGate.stages = [...a.stages];
    if (a?.onInconclusive) settings.analysisGate.onInconclusive = a.onInconclusive;
    if (a?.analyses) settings.analysisGate.analyses = [...a.analyses];
    const p = layer.approvals;
    if (p?.stages) settings.approvals.stages = [...p.stages];
    if (p?.timeoutInMinutes) settings.approvals.timeoutInMinutes = p.timeoutInMinutes;
    if (p?.timeoutAction) settings.approvals.timeoutAction = p.timeoutAction;
  }
  const fromTags = readDeliveryTags(tags);
  if (fromTags.mode) settings.policyGate.mode = settings.analysisGate.mode = fromTags.mode;
  if (fromTags.policyGate) settings.policyGate.mode = fromTags.policyGate;
  if (fromTags.analysisGate) settings.analysisGate.mode = fromTags.analysisGate;
  settings.problems = fromTags.problems;
  return settings;
};

export { type DeliverySettings, resolveDeliverySettings };
