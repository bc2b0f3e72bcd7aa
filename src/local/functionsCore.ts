import Module from "node:module";

/** One binding of a registered function, as the Functions worker receives it. */
export interface CapturedBinding {
  type: string;
  direction: string;
  [option: string]: unknown;
}

/** A function registered through `@azure/functions` (`app.http`, `app.storageQueue`, ...). */
export interface CapturedFunction {
  name: string;
  bindings: CapturedBinding[];
  /** The handler exactly as registered: call it with `(input, InvocationContext)`. */
  handler: (input: unknown, context: unknown) => unknown;
  /** The trigger binding (the one whose type ends with `Trigger`). */
  trigger: CapturedBinding;
}

/** What the fake `@azure/functions-core` has captured so far. */
export interface CapturedRegistry {
  functions: Map<string, CapturedFunction>;
  hooks: { hookName: string; callback: (context: unknown) => unknown }[];
}

interface CoreFunctionMetadata {
  name: string;
  bindings: Record<string, CapturedBinding>;
}

const CORE_MODULE = "@azure/functions-core";
const registry: CapturedRegistry = { functions: new Map(), hooks: [] };
let installed = false;

/**
 * Stands in for the Functions worker: provides `@azure/functions-core` to `@azure/functions`
 * (the worker does the same with a proxy on `Module.prototype.require`) so that `app.*`
 * registrations are captured instead of skipped. Call it before `@azure/functions` registers
 * anything; calling it again returns the same registry.
 */
export function installFunctionsCore(): CapturedRegistry {
  if (installed) return registry;

  // eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped, and called with its `this`
  const original = Module.prototype.require;
  const fakeCore = createFakeCore();
  Module.prototype.require = new Proxy(original, {
    apply(target, thisArg: unknown, args: [string]) {
      if (args[0] === CORE_MODULE) return fakeCore;
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
  installed = true;
  return registry;
}

function createFakeCore(): object {
  return {
    version: "3.10.1",
    hostVersion: "4.1040.0",
    setProgrammingModel: () => undefined,
    getProgrammingModel: () => undefined,
    log: () => undefined,
    registerHook: (hookName: string, callback: (context: unknown) => unknown) => {
      registry.hooks.push({ hookName, callback });
      return { dispose: () => undefined };
    },
    registerFunction: (metadata: CoreFunctionMetadata, handler: CapturedFunction["handler"]) => {
      registry.functions.set(metadata.name, toCapturedFunction(metadata, handler));
      return { dispose: () => registry.functions.delete(metadata.name) };
    },
  };
}

function toCapturedFunction(
  metadata: CoreFunctionMetadata,
  handler: CapturedFunction["handler"],
): CapturedFunction {
  const bindings = Object.values(metadata.bindings);
  const trigger = bindings.find((b) => b.direction === "in" && b.type.endsWith("Trigger"));
  if (!trigger) {
    const message = `Function ${metadata.name} was registered without a trigger.`;
    throw Object.assign(new Error(message), { code: "TriggerMissing" });
  }
  return { name: metadata.name, bindings, handler, trigger };
}
