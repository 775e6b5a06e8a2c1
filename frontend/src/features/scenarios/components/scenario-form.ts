/** The scenario form's values, their check, and the fields an API refusal names. */
import type { ScenarioRequest } from '@/features/scenarios/api/create-scenario';

export interface ScenarioFormValues {
  name: string;
  /** A number, or the text of a number being typed ('' when empty). */
  demandChangePct: number | string;
  leadTimeChangeDays: number | string;
  /** Stock item ids as the picker holds them; none means every item. */
  itemIds: string[];
}

export type ScenarioField = keyof ScenarioFormValues;

export const EMPTY_FORM: ScenarioFormValues = {
  name: '',
  demandChangePct: 0,
  leadTimeChangeDays: 0,
  itemIds: [],
};

/**
 * Return what the form misses, by field: only presence and number type are checked here, the
 * API judges the ranges (and its refusal is shown as it words it).
 */
export function formProblems(values: ScenarioFormValues): Partial<Record<ScenarioField, string>> {
  const problems: Partial<Record<ScenarioField, string>> = {};
  if (values.name.trim() === '') {
    problems.name = 'Give the scenario a name';
  }
  if (typeof values.demandChangePct !== 'number' || !Number.isFinite(values.demandChangePct)) {
    problems.demandChangePct = 'Enter a percentage, e.g. 20 or -10 (0 for no change)';
  }
  if (typeof values.leadTimeChangeDays !== 'number' || !Number.isInteger(values.leadTimeChangeDays)) {
    problems.leadTimeChangeDays = 'Enter whole days, e.g. 7 or -3 (0 for no change)';
  }
  return problems;
}

/** Return the request for complete `values`, or null when formProblems finds any. */
export function toScenarioRequest(values: ScenarioFormValues): ScenarioRequest | null {
  if (Object.keys(formProblems(values)).length > 0) return null;
  return {
    name: values.name.trim(),
    demand_change_pct: Number(values.demandChangePct),
    lead_time_change_days: Number(values.leadTimeChangeDays),
    ...(values.itemIds.length === 0 ? {} : { stock_item_ids: values.itemIds.map(Number) }),
  };
}

const API_FIELDS: Record<string, ScenarioField> = {
  name: 'name',
  demand_change_pct: 'demandChangePct',
  lead_time_change_days: 'leadTimeChangeDays',
  stock_item_ids: 'itemIds',
};

/**
 * Return the form fields an API refusal names: its detail reads
 * "demand_change_pct: Input should be …; lead_time_change_days: …".
 */
export function refusedFields(detail: string): Set<ScenarioField> {
  const fields = new Set<ScenarioField>();
  for (const part of detail.split(/;\s*/)) {
    const field = API_FIELDS[part.split(':', 1)[0]?.trim() ?? ''];
    if (field !== undefined) fields.add(field);
  }
  return fields;
}
