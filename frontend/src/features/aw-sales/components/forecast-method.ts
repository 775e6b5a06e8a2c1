/**
 * The forecast's `method` in plain words. The API writes it for engineers
 * ("least squares: level + trend + weekday on the last 91 days, re-anchored to the last 7
 * days; history before the level break on 2014-01-01 left out"); the page explains it.
 */
import { formatDay } from '@/formatting/dates';

const LEAST_SQUARES =
  /^least squares: (?<terms>.+?) on (?<span>all|the last) (?<days>\d+) days(?:, re-anchored to the last (?<anchor>\d+) days)?/;
const RECENT_MEAN = /^mean of the last (?<days>\d+) days/;
const LEVEL_BREAK = /history before the level break on (?<date>\d{4}-\d{2}-\d{2}) left out/;

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

function termInWords(term: string): string | null {
  if (term === 'level') return null;
  if (term === 'trend') return 'a straight-line trend';
  if (term === 'weekday') return 'a different level for each weekday';
  const harmonics = /^(\d+) yearly harmonics?$/.exec(term);
  if (harmonics?.[1] !== undefined) {
    return harmonics[1] === '1'
      ? 'one yearly seasonal wave'
      : `yearly seasonality (${harmonics[1]} waves)`;
  }
  return term;
}

/** Return the first day after the level break the method reports, or null. */
export function levelBreakDate(method: string): string | null {
  return LEVEL_BREAK.exec(method)?.groups?.date ?? null;
}

/** Return a few sentences that say how the forecast was made, or null for an unknown method. */
export function describeMethod(method: string): string | null {
  const sentences: string[] = [];
  const fitted = LEAST_SQUARES.exec(method)?.groups;
  const mean = RECENT_MEAN.exec(method)?.groups;
  if (fitted?.terms !== undefined && fitted.days !== undefined) {
    const terms = fitted.terms
      .split(' + ')
      .map(termInWords)
      .filter((term): term is string => term !== null);
    const span = fitted.span === 'all' ? `all ${fitted.days} days of history` : `the last ${fitted.days} days`;
    sentences.push(
      terms.length > 0
        ? `A least-squares fit of daily internet revenue over ${span}, with ${listInWords(terms)}.`
        : `The average level of daily internet revenue over ${span} (least squares with no trend or seasonality).`,
    );
    if (fitted.anchor !== undefined) {
      sentences.push(`The curve is then shifted to the level of the last ${fitted.anchor} days.`);
    }
    sentences.push(
      'This combination was chosen because it had the smallest error when tried on earlier days; the 80% band comes from the errors it made there.',
    );
  } else if (mean?.days !== undefined) {
    sentences.push(
      `The average daily internet revenue of the last ${mean.days} days, repeated for every future day: ` +
        'there is too little history to fit and test a model. The band spans the 10th to 90th percentile of those days.',
    );
  } else {
    return null;
  }
  const levelBreak = LEVEL_BREAK.exec(method)?.groups;
  if (levelBreak?.date !== undefined) {
    sentences.push(
      `Sales before ${formatDay(levelBreak.date)} are left out: revenue changed more than threefold then, so older days describe a different business.`,
    );
  }
  return sentences.join(' ');
}
