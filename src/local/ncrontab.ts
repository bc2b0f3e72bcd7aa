/**
 * NCRONTAB, the Functions timer's schedule format: six fields
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, each `*`, a number, a range `a-b`,
 * a step `* /n` or `a-b/n` (without the space), or a comma list of those. Times are UTC (the
 * host's default). Month and day names are not supported.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions
 */
export interface NcrontabSchedule {
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

const FIELDS = [
  { name: "second", min: 0, max: 59 },
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day-of-week", min: 0, max: 6 },
] as const;

/**
 * Parses a six-field NCRONTAB expression.
 * @throws InvalidSchedule naming the field that is malformed.
 */
export function parseNcrontab(expression: string): NcrontabSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) throw invalid(expression, "it needs six fields");
  const [seconds, minutes, hours, days, months, weekdays] = parts.map((part, i) =>
    parseField(part, FIELDS[i]!, expression),
  );
  const sets = {
    seconds: seconds!,
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays: weekdays!,
  };
  return { next: (after) => nextOccurrence(sets, after) };
}

type FieldSets = Record<
  "seconds" | "minutes" | "hours" | "days" | "months" | "weekdays",
  Set<number>
>;

function parseField(text: string, field: (typeof FIELDS)[number], expression: string): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(",")) {
    const match = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw invalid(expression, `the ${field.name} field "${text}" is malformed`);
    const [from, to] = match[1] === "*" ? [field.min, field.max] : rangeOf(match[1]!);
    const step = Number(match[2] ?? "1");
    if (from < field.min || to > field.max || from > to || step < 1) {
      throw invalid(
        expression,
        `the ${field.name} field "${text}" is out of ${field.min}-${field.max}`,
      );
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function rangeOf(text: string): [number, number] {
  const [a, b] = text.split("-").map(Number);
  return [a!, b ?? a!];
}

/** Walks forward field by field (month, day, hour, minute, second), at most ~5 years. */
function nextOccurrence(sets: FieldSets, after: Date): Date {
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;

  while (t.getTime() <= limit) {
    if (!sets.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!sets.days.has(t.getUTCDate()) || !sets.weekdays.has(t.getUTCDay())) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!sets.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!sets.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else if (!sets.seconds.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
    } else {
      return t;
    }
  }
  throw invalid("schedule", "it has no occurrence in the next five years");
}

function invalid(expression: string, why: string): Error {
  return Object.assign(new Error(`Timer schedule "${expression}" is invalid: ${why}.`), {
    name: "ScheduleError",
    code: "InvalidSchedule",
  });
}
