/**
 * federatedIdentityCredentials under a user-assigned identity (2024-11-30): PUT, GET, list and
 * DELETE, with the identity service's rules (FACTS §4.2): name pattern, exactly one audience,
 * https issuer, non-empty properties, unique issuer+subject, at most 20 per identity, no
 * overlapping writes on one identity (409), parent must exist (and be visible), region support.
 */
import { isObject, normalizeLocation } from "./clusterModel.js";
import type { EmulatorContext, EmulatorReply, EmulatorRequest, Handler } from "./context.js";
import { armErrors } from "./errors.js";
import { identityKeyOf, isVisible } from "./identities.js";
import { paginate, readTop } from "./paging.js";
import type { CredentialRecord, IdentityRecord } from "./state.js";

export const CREDENTIAL_TYPE =
  "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/;
const MAX_CLAIM_LENGTH = 600;

function renderCredential(
  identity: IdentityRecord,
  credential: CredentialRecord,
): Record<string, unknown> {
  return {
    id: `${identity.id}/federatedIdentityCredentials/${credential.name}`,
    name: credential.name,
    type: CREDENTIAL_TYPE,
    properties: {
      issuer: credential.issuer,
      subject: credential.subject,
      audiences: [...credential.audiences],
    },
  };
}

/** The parent identity; 404 while it does not exist or is not visible yet. */
function findParent(req: EmulatorRequest, ctx: EmulatorContext): IdentityRecord {
  const identity = ctx.store.identities.get(identityKeyOf(req));
  if (identity === undefined || !isVisible(identity, ctx.clock.now()))
    throw armErrors.ficParentMissing();
  return identity;
}

function findIndex(identity: IdentityRecord, name: string): number {
  return identity.credentials.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** The credential properties of a PUT body, checked in the order the identity service checks them. */
export function readCredentialBody(body: unknown): Omit<CredentialRecord, "name"> {
  const props = isObject(body) ? body.properties : undefined;
  if (!isObject(props) || Object.keys(props).length === 0) throw armErrors.ficEmptyProperties();
  const { issuer, subject, audiences } = props;
  if (issuer === undefined || subject === undefined || audiences === undefined)
    throw armErrors.ficEmptyProperties();

  if (!Array.isArray(audiences) || audiences.length !== 1) throw armErrors.ficAudienceCount();
  if (audiences[0] !== TOKEN_EXCHANGE_AUDIENCE)
    throw armErrors.ficAudienceValue(String(audiences[0]));
  if (typeof issuer !== "string" || !isHttpsUrl(issuer) || issuer.length > MAX_CLAIM_LENGTH) {
    throw armErrors.ficIssuerInvalid(JSON.stringify(issuer));
  }
  if (typeof subject !== "string" || subject === "" || subject.length > MAX_CLAIM_LENGTH)
    throw armErrors.ficSubjectInvalid();
  return { issuer, subject, audiences: [TOKEN_EXCHANGE_AUDIENCE] };
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Holds the identity for one credential write. With `ficConcurrencyConflict` on, a write that
 * arrives while another holds it is refused with 409, as the identity service does.
 */
async function holdIdentity(
  ctx: EmulatorContext,
  key: string,
  identity: IdentityRecord,
): Promise<void> {
  const locks = ctx.store.credentialLocks;
  const now = ctx.clock.now();
  const heldUntil = locks.get(key);
  if (ctx.config.ficConcurrencyConflict && heldUntil !== undefined && now < heldUntil) {
    throw armErrors.ficConcurrentWrite(identity.id);
  }
  const until = Math.max(now, heldUntil ?? 0) + ctx.config.delays.ficWriteLatencyMs;
  locks.set(key, until);
  await ctx.clock.sleepUntil(until);
  if (locks.get(key) === until) locks.delete(key);
}

export const putCredential: Handler = async (req, ctx): Promise<EmulatorReply> => {
  const identity = findParent(req, ctx);
  if (ctx.config.ficUnsupportedRegions.includes(normalizeLocation(identity.location)))
    throw armErrors.ficRegionUnsupported();
  const name = req.params.federatedIdentityCredentialResourceName!;
  if (!NAME_PATTERN.test(name)) throw armErrors.ficNameInvalid(name);
  const wanted = readCredentialBody(req.body);

  const key = identityKeyOf(req);
  checkCapacity(ctx, identity, name, wanted);
  await holdIdentity(ctx, key, identity);

  // The identity may have gone, or another write may have landed, while this one was held.
  const parent = findParent(req, ctx);
  checkCapacity(ctx, parent, name, wanted);
  const index = findIndex(parent, name);
  const credential: CredentialRecord =
    index >= 0 ? { ...wanted, name: parent.credentials[index]!.name } : { ...wanted, name };
  if (index >= 0) parent.credentials[index] = credential;
  else parent.credentials.push(credential);
  ctx.markDirty();
  return { status: index >= 0 ? 200 : 201, body: renderCredential(parent, credential) };
};

/** The 20-credential cap and the unique issuer+subject rule. */
function checkCapacity(
  ctx: EmulatorContext,
  identity: IdentityRecord,
  name: string,
  wanted: Omit<CredentialRecord, "name">,
): void {
  const index = findIndex(identity, name);
  if (index < 0 && identity.credentials.length >= ctx.config.ficLimitPerIdentity) {
    throw armErrors.ficLimit(identity.id, ctx.config.ficLimitPerIdentity);
  }
  const clash = identity.credentials.some(
    (c, i) => i !== index && c.issuer === wanted.issuer && c.subject === wanted.subject,
  );
  if (clash) throw armErrors.ficDuplicate();
}

export const getCredential: Handler = (req, ctx) => {
  const identity = findParent(req, ctx);
  const name = req.params.federatedIdentityCredentialResourceName!;
  const credential = identity.credentials[findIndex(identity, name)];
  if (credential === undefined)
    throw armErrors.resourceNotFound(CREDENTIAL_TYPE, name, req.params.resourceGroupName!);
  return { status: 200, body: renderCredential(identity, credential) };
};

export const listCredentials: Handler = (req, ctx) => {
  const identity = findParent(req, ctx);
  const sorted = [...identity.credentials].sort((a, b) =>
    a.name.toLowerCase().localeCompare(b.name.toLowerCase()),
  );
  const page = paginate(sorted, req, ctx, readTop(req));
  return {
    status: 200,
    body: { ...page, value: page.value.map((c) => renderCredential(identity, c)) },
  };
};

export const deleteCredential: Handler = async (req, ctx): Promise<EmulatorReply> => {
  const identity = findParent(req, ctx);
  await holdIdentity(ctx, identityKeyOf(req), identity);
  const parent = ctx.store.identities.get(identityKeyOf(req)) ?? identity;
  const index = findIndex(parent, req.params.federatedIdentityCredentialResourceName!);
  if (index < 0) return { status: 204 };
  parent.credentials.splice(index, 1);
  ctx.markDirty();
  return { status: 200 };
};
