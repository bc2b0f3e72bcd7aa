import type { TokenCredential } from "@azure/core-auth";
import { ConnectedKubernetesClient } from "@azure/arm-hybridkubernetes";
import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";

import { buildArmClientOptions, type ArmConnection } from "./armClientOptions.js";
import { ArmRequestError, readRetryAfterMs, toArmRequestError } from "./armRequestError.js";
import { followAsyncOperation, type LroOptions } from "./followAsyncOperation.js";
import type { ConnectedClusterJson } from "./connectedClusterJson.js";

/** api-versions of connectedClusters that carry `oidcIssuerProfile` and that we support. */
export const SUPPORTED_CLUSTER_API_VERSIONS = ["2026-05-01", "2025-08-01-preview"] as const;

/** Options of the connectedCluster gateway. */
export interface ClusterGatewayOptions extends ArmConnection, LroOptions {
  credential: TokenCredential;
  /** @default "2026-05-01" */
  apiVersion?: string;
}

/**
 * Reads and writes `Microsoft.Kubernetes/connectedClusters` as raw JSON through the
 * `@azure/arm-hybridkubernetes` client's pipeline (auth, retries, api-version).
 *
 * NOTE: the package's typed models target api-version 2021-10-01 and drop `oidcIssuerProfile`
 * and `securityProfile` (FACTS.md §1.5), so every call here goes through `sendRequest` and keeps
 * the body as ARM returned it.
 */
export class ClusterGateway {
  private readonly client: ConnectedKubernetesClient;
  private readonly endpoint: string;
  readonly apiVersion: string;

  constructor(private readonly options: ClusterGatewayOptions) {
    const clientOptions = buildArmClientOptions(options);
    this.endpoint = clientOptions.endpoint;
    this.apiVersion = options.apiVersion ?? "2026-05-01";
    this.client = new ConnectedKubernetesClient(options.credential, "unused", {
      ...clientOptions,
      apiVersion: this.apiVersion,
      credentialScopes: [armScope(this.endpoint)],
    });
  }

  /** GET a cluster. @returns the raw body, or `undefined` on 404. @throws ArmRequestError */
  async get(clusterId: string): Promise<ConnectedClusterJson | undefined> {
    const response = await this.send(
      "GET",
      this.url(clusterId),
      `read connectedCluster ${clusterId}`,
      {
        allow404: true,
      },
    );
    return response.status === 404 ? undefined : parseJson<ConnectedClusterJson>(response);
  }

  /**
   * Full PUT (create-or-replace) of a cluster, followed to the end of its Azure-AsyncOperation.
   * The operation's status body decides the outcome, not the poll's HTTP code.
   * @returns `done: false` when the operation is still running after the poll budget.
   * @throws ArmRequestError for a refused PUT or a `Failed`/`Canceled` operation.
   */
  async put(
    clusterId: string,
    body: ConnectedClusterJson,
  ): Promise<{ done: boolean; requestId?: string }> {
    const what = `update connectedCluster ${clusterId}`;
    const response = await this.send("PUT", this.url(clusterId), what, { body });
    const requestId = response.headers.get("x-ms-request-id");
    const operationUrl = response.headers.get("azure-asyncoperation");
    if (!operationUrl) return { done: true, requestId };

    const pollDelayMs = readRetryAfterMs(response.headers);
    const done = await followAsyncOperation({
      operationUrl,
      what,
      firstDelayMs: pollDelayMs,
      poll: (url) => this.send("GET", url, `poll ${what}`, {}),
      options: this.options,
    });
    return { done, requestId };
  }

  /** Lists cluster ids under `/subscriptions/{s}` or `/subscriptions/{s}/resourceGroups/{rg}`. */
  async listIds(scope: string): Promise<string[]> {
    const ids: string[] = [];
    let url: string | undefined = this.listUrl(scope);
    while (url) {
      const response = await this.send("GET", url, `list connectedClusters in ${scope}`, {});
      const page = parseJson<{ value?: { id?: string }[]; nextLink?: string }>(response);
      for (const item of page.value ?? []) if (item.id) ids.push(item.id);
      url = page.nextLink ?? undefined;
    }
    return ids;
  }

  private url(clusterId: string): string {
    return `${this.endpoint}${clusterId}?api-version=${this.apiVersion}`;
  }

  private listUrl(scope: string): string {
    const base = scope.replace(/\/+$/, "");
    return `${this.endpoint}${base}/providers/Microsoft.Kubernetes/connectedClusters?api-version=${this.apiVersion}`;
  }

  private async send(
    method: "GET" | "PUT",
    url: string,
    what: string,
    options: { body?: unknown; allow404?: boolean },
  ): Promise<PipelineResponse> {
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({ "content-type": "application/json" }),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });

    let response: PipelineResponse;
    try {
      response = await this.client.sendRequest(request);
    } catch (e) {
      throw toArmRequestError(e, what);
    }
    if (response.status < 300 || (options.allow404 && response.status === 404)) return response;
    throw errorFromResponse(response, what);
  }
}

/** The token scope for an ARM endpoint (sovereign clouds have their own). */
export function armScope(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/.default`;
}

/** Builds an `ArmRequestError` from a non-2xx raw response. */
export function errorFromResponse(response: PipelineResponse, what: string): ArmRequestError {
  let code = `Http${response.status}`;
  let message = response.bodyAsText ? "" : "no body";
  try {
    const body = JSON.parse(response.bodyAsText ?? "{}") as {
      error?: { code?: string; message?: string };
    };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    message = "the response body is not JSON";
  }
  return new ArmRequestError({
    message: `${what} failed with ${response.status} ${code}: ${message}`,
    code,
    statusCode: response.status,
    requestId: response.headers.get("x-ms-request-id"),
    retryAfterMs: readRetryAfterMs(response.headers),
  });
}

function parseJson<T>(response: PipelineResponse): T {
  return JSON.parse(response.bodyAsText ?? "{}") as T;
}
