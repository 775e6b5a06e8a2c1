/**
 * Reading a job execution's `details`, which each job fills in its own way: data-quality
 * jobs list their checks (`checks`, `errors_failed`, `warnings`), the others report counts.
 */

/** One data-quality check's outcome, as the quality jobs store it. */
export interface QualityCheckResult {
  name: string;
  severity: 'error' | 'warning';
  passed: boolean;
  observed: number | null;
  threshold: number;
  comparison: string;
  description: string;
  error: string | null;
}

export interface QualitySummary {
  checks: QualityCheckResult[];
  passed: number;
  /** Failed checks of error severity: the data is wrong. */
  failedErrors: number;
  /** Failed checks of warning severity: worth a look. */
  warnings: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asCheck(value: unknown): QualityCheckResult | null {
  if (!isRecord(value) || typeof value.name !== 'string' || typeof value.passed !== 'boolean') {
    return null;
  }
  return {
    name: value.name,
    severity: value.severity === 'warning' ? 'warning' : 'error',
    passed: value.passed,
    observed: typeof value.observed === 'number' ? value.observed : null,
    threshold: typeof value.threshold === 'number' ? value.threshold : 0,
    comparison: typeof value.comparison === 'string' ? value.comparison : '',
    description: typeof value.description === 'string' ? value.description : '',
    error: typeof value.error === 'string' ? value.error : null,
  };
}

/** Return the data-quality checks of an execution's details, or null if it ran none. */
export function qualitySummary(details: Record<string, unknown>): QualitySummary | null {
  if (!Array.isArray(details.checks)) return null;
  const checks = details.checks.map(asCheck).filter((check) => check !== null);
  const failed = checks.filter((check) => !check.passed);
  return {
    checks,
    passed: checks.length - failed.length,
    failedErrors: failed.filter((check) => check.severity === 'error').length,
    warnings: failed.filter((check) => check.severity === 'warning').length,
  };
}

/** A detail value worth a line: text, a number, or a flat object of those. */
export type DetailValue = string | number | boolean | Record<string, string | number | boolean>;

function isFlat(value: unknown): value is Record<string, string | number | boolean> {
  return (
    isRecord(value) &&
    Object.values(value).every((item) => ['string', 'number', 'boolean'].includes(typeof item))
  );
}

/** Return the other details as [key, value] pairs (the checks and nested data left out). */
export function otherDetails(details: Record<string, unknown>): [string, DetailValue][] {
  return Object.entries(details).flatMap(([key, value]): [string, DetailValue][] => {
    if (key === 'checks' || key === 'errors_failed' || key === 'warnings') return [];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return [[key, value]];
    }
    return isFlat(value) ? [[key, value]] : [];
  });
}
