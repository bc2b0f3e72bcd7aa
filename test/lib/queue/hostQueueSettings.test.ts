import path from "node:path";

import { describe, expect, it } from "vitest";

import {
  readHostQueueSettings,
  toHostQueueSettings,
} from "../../../src/lib/queue/hostQueueSettings.js";
import { parseSyncMessage } from "../../../src/lib/queue/syncMessage.js";
import {
  encodeQueueMessage,
  tryDecodeQueueMessage,
} from "../../../src/lib/queue/queueMessageCodec.js";

describe("readHostQueueSettings", () => {
  it("reads the app's host.json", async () => {
    const settings = await readHostQueueSettings(path.resolve("host.json"));

    expect(settings).toMatchObject({ messageEncoding: "base64", maxDequeueCount: 5 });
    expect(settings.visibilityTimeoutMs).toBeGreaterThan(0);
  });

  it("fills the host's defaults and converts TimeSpans", () => {
    expect(toHostQueueSettings({ visibilityTimeout: "00:01:30.5" })).toEqual({
      messageEncoding: "base64",
      visibilityTimeoutMs: 90_500,
      maxDequeueCount: 5,
      batchSize: 16,
      maxPollingIntervalMs: 60_000,
    });
  });

  it.each([
    [{ messageEncoding: "utf8" }, /messageEncoding/],
    [{ visibilityTimeout: 30 }, /visibilityTimeout/],
    [{ maxDequeueCount: 0 }, /maxDequeueCount/],
  ])("refuses %j", (queues, field) => {
    expect(() => toHostQueueSettings(queues)).toThrow(field);
  });
});

describe("queue message codec", () => {
  it("round-trips through base64 and refuses text that is not base64", () => {
    const encoded = encodeQueueMessage('{"a":"é"}', "base64");

    expect(tryDecodeQueueMessage(encoded, "base64")).toBe('{"a":"é"}');
    expect(tryDecodeQueueMessage('{"a":1}', "base64")).toBeUndefined();
    expect(tryDecodeQueueMessage('{"a":1}', "none")).toBe('{"a":1}');
  });
});

describe("parseSyncMessage", () => {
  it("names every bad field", () => {
    const parsed = parseSyncMessage({ clusterId: "x", reason: "nope", attempt: -1 });

    expect(parsed).toEqual({
      problems: [
        "clusterId: missing or malformed",
        "reason: missing or malformed",
        "eventId: missing or malformed",
        "attempt: malformed",
      ],
    });
  });

  it("refuses text that is not a JSON object", () => {
    expect(parseSyncMessage("[1]")).toEqual({ problems: ["message: expected a JSON object"] });
  });
});
