import { describe, expect, it } from "vitest";

import { KeyedMutex } from "../../../src/lib/reconcile/keyedMutex.js";

describe("KeyedMutex", () => {
  it("runs work under one name one at a time, and other names alongside", async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const work = (name: string, tag: string) =>
      mutex.withLock(name, async () => {
        events.push(`start ${tag}`);
        await new Promise((r) => setImmediate(r));
        events.push(`end ${tag}`);
      });

    await Promise.all([work("id-a", "a1"), work("ID-A", "a2"), work("id-b", "b1")]);
    const a = events.filter((e) => e.endsWith("a1") || e.endsWith("a2"));
    expect(a).toEqual(["start a1", "end a1", "start a2", "end a2"]);
    expect(events.indexOf("start b1")).toBeLessThan(events.indexOf("end a1"));
  });

  it("releases the lock when the work throws", async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.withLock("x", () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    await expect(mutex.withLock("x", () => Promise.resolve(1))).resolves.toBe(1);
  });
});
