import { describe, expect, it } from "vitest";

import { parseNcrontab } from "../../src/local/ncrontab.js";

const at = (iso: string) => new Date(iso);

describe("parseNcrontab", () => {
  it.each([
    ["0 0 */6 * * *", "2026-12-03T07:15:00Z", "2026-12-03T12:00:00.000Z"],
    ["0 0 */6 * * *", "2026-12-03T23:59:59Z", "2026-12-04T00:00:00.000Z"],
    ["*/15 * * * * *", "2026-12-03T07:15:07Z", "2026-12-03T07:15:15.000Z"],
    ["0 30 9 * * 1-5", "2026-12-05T10:00:00Z", "2026-12-07T09:30:00.000Z"],
    ["0 0 0 1 1 *", "2026-12-03T00:00:00Z", "2027-01-01T00:00:00.000Z"],
    ["5,10 0 0 * * *", "2026-12-03T00:00:05Z", "2026-12-03T00:00:10.000Z"],
  ])("%s after %s is %s", (schedule, after, next) => {
    expect(parseNcrontab(schedule).next(at(after)).toISOString()).toBe(next);
  });

  it.each([
    ["0 0 * * *", /six fields/],
    ["0 0 25 * * *", /hour field "25"/],
    ["0 0 x * * *", /hour field "x" is malformed/],
    ["0 0 0 31 2 *", /no occurrence/],
  ])("refuses %s", (schedule, why) => {
    expect(() => parseNcrontab(schedule).next(at("2026-01-01T00:00:00Z"))).toThrow(why);
  });
});
