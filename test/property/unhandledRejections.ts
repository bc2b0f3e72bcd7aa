/** Collects unhandled promise rejections while a property runs, so a test can assert none. */
import { afterAll, beforeAll } from "vitest";

/** Starts collecting for the current test file; returns the live list. */
export function collectUnhandledRejections(): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  beforeAll(() => {
    process.on("unhandledRejection", listener);
  });
  afterAll(() => {
    process.off("unhandledRejection", listener);
  });
  return seen;
}
