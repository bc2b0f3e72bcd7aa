/**
 * ARM's error envelope `{ error: { code, message } }` and the errors the emulator answers with.
 * Codes and messages follow ARM and the identity service where the public record shows them
 * (FACTS §4.2 and public bug reports); where it shows only a message, the code is the plain
 * HTTP-reason code ("BadRequest", "MethodNotAllowed"), as the identity service uses for them.
 */

/** An error the emulator returns to the client as ARM would. */
export class ArmError extends Error {
  override readonly name = "ArmError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The JSON body ARM sends. */
  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const armErrors = {
  authenticationMissing: () =>
    new ArmError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
      {
        "www-authenticate":
          'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
      },
    ),

  authenticationInvalid: () =>
    new ArmError(
      401,
      "InvalidAuthenticationToken",
      "The access token is invalid. Send 'Authorization: Bearer <token>'.",
    ),

  missingApiVersion: () =>
    new ArmError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    ),

  invalidApiVersion: (version: string, supported: readonly string[]) =>
    new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${supported.join(",")}'.`,
    ),

  unknownRoute: (path: string) =>
    new ArmError(
      404,
      "InvalidResourceType",
      `The resource type of '${path}' could not be found. This emulator serves only Microsoft.Kubernetes/connectedClusters and Microsoft.ManagedIdentity/userAssignedIdentities (with federatedIdentityCredentials).`,
    ),

  methodNotAllowed: (method: string) =>
    new ArmError(
      405,
      "MethodNotAllowed",
      `The requested resource does not support http method '${method}'.`,
    ),

  resourceNotFound: (type: string, name: string, resourceGroup: string) =>
    new ArmError(
      404,
      "ResourceNotFound",
      `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),

  invalidRequestContent: (detail: string) =>
    new ArmError(
      400,
      "InvalidRequestContent",
      `The request content was invalid and could not be deserialized: ${detail}`,
    ),

  locationRequired: () =>
    new ArmError(400, "LocationRequired", "The location property is required for this definition."),

  locationChanged: (id: string, existing: string, requested: string, resourceGroup: string) =>
    new ArmError(
      400,
      "InvalidResourceLocation",
      `The resource '${id}' already exists in location '${existing}' in resource group '${resourceGroup}'. A resource with the same name cannot be created in location '${requested}'. Please select a new resource name.`,
    ),

  invalidResourceName: (name: string, rule: string) =>
    new ArmError(400, "InvalidResourceName", `Resource name '${name}' is invalid. ${rule}`),

  invalidSkipToken: () => new ArmError(400, "BadRequest", "The $skiptoken is invalid."),

  invalidTop: (value: string) =>
    new ArmError(
      400,
      "BadRequest",
      `The value '${value}' of $top is invalid: it must be an integer of at least 1.`,
    ),

  ficNameInvalid: (name: string) =>
    new ArmError(400, "BadRequest", `Federated Identity Credential name '${name}' is invalid.`),

  ficEmptyProperties: () =>
    new ArmError(
      400,
      "BadRequest",
      "Federated Identity Credential from HTTP body has empty properties",
    ),

  ficAudienceCount: () =>
    new ArmError(
      400,
      "BadRequest",
      "Federated identity credentials must have exactly one audience.",
    ),

  ficAudienceValue: (audience: string) =>
    new ArmError(
      400,
      "BadRequest",
      `Federated identity credential audience '${audience}' is not supported. The audience must be 'api://AzureADTokenExchange'.`,
    ),

  ficIssuerInvalid: (issuer: string) =>
    new ArmError(
      400,
      "BadRequest",
      `Federated identity credential issuer '${issuer}' is invalid: it must be an https URL of at most 600 characters.`,
    ),

  ficSubjectInvalid: () =>
    new ArmError(
      400,
      "BadRequest",
      "Federated identity credential subject must be a non-empty string of at most 600 characters.",
    ),

  ficDuplicate: () =>
    new ArmError(
      400,
      "BadRequest",
      "Issuer and subject combination already exists for this Managed Identity.",
    ),

  ficLimit: (identityId: string, limit: number) =>
    new ArmError(
      400,
      "BadRequest",
      `The user-assigned identity '${identityId}' already has the maximum number of federated identity credentials (${limit}).`,
    ),

  ficConcurrentWrite: (identityId: string) =>
    new ArmError(
      409,
      "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
      `Too many Federated Identity Credentials are written concurrently for the managed identity '${identityId.toLowerCase()}'. Concurrent Federated Identity Credentials writes under the same managed identity are not supported.`,
    ),

  ficParentMissing: () =>
    new ArmError(404, "ParentResourceNotFound", "The parent user-assigned identity doesn't exist."),

  ficRegionUnsupported: () =>
    new ArmError(
      405,
      "MethodNotAllowed",
      "The request format was unexpected: Support for federated identity credentials not enabled.",
    ),

  throttledArm: (kind: string, subscriptionId: string, retryAfterSec: number) =>
    new ArmError(
      429,
      "SubscriptionRequestsThrottled",
      `Number of '${kind}' requests for subscription '${subscriptionId}' exceeded. Please try again after '${retryAfterSec}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
    ),

  throttledMsi: (scope: string) =>
    new ArmError(
      429,
      "TooManyRequests",
      `Too many requests to the managed identity service at ${scope} scope. Retry after the time given in the Retry-After header.`,
    ),

  faultInternal: () =>
    new ArmError(
      500,
      "InternalServerError",
      "Encountered internal server error. (injected by the emulator)",
    ),

  faultUnavailable: () =>
    new ArmError(
      503,
      "ServiceUnavailable",
      "The service is temporarily unavailable. (injected by the emulator)",
    ),

  faultThrottled: () =>
    new ArmError(
      429,
      "TooManyRequests",
      "The request is being throttled. (injected by the emulator)",
    ),
};
