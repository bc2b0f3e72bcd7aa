// Node's ESM loader cannot see the class exports of @azure/functions' CommonJS bundle (only a
// few names it can detect statically), so the classes are taken from its default export.
import azureFunctions from "@azure/functions";

/** `InvocationContext` and `HttpRequest` of @azure/functions, loadable from plain Node ESM. */
export const { InvocationContext, HttpRequest } = azureFunctions;
