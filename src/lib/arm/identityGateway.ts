import type { TokenCredential } from "@azure/core-auth";
import {
  ManagedServiceIdentityClient,
  type FederatedIdentityCredential,
  type Identity,
} from "@azure/arm-msi";

import { buildArmClientOptions, type ArmConnection } from "./armClientOptions.js";
import { isNotFound, toArmRequestError } from "./armRequestError.js";
import { armScope } from "./clusterGateway.js";

/** Where a userAssignedIdentity lives. */
export interface IdentityRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** A userAssignedIdentity as we use it. */
export interface IdentityState {
  id: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  clientId?: string;
  principalId?: string;
  tenantId?: string;
}

/** A federatedIdentityCredential as we use it. */
export interface CredentialState {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

/**
 * userAssignedIdentities and their federatedIdentityCredentials through `@azure/arm-msi`
 * (api-version 2024-11-30), one client per subscription.
 * All methods throw `ArmRequestError`; reads of something missing return `undefined`.
 */
export class IdentityGateway {
  private readonly clients = new Map<string, ManagedServiceIdentityClient>();

  constructor(private readonly options: ArmConnection & { credential: TokenCredential }) {}

  /** GET an identity. @returns undefined on 404. */
  async get(ref: IdentityRef): Promise<IdentityState | undefined> {
    try {
      const identity = await this.client(ref).userAssignedIdentities.get(
        ref.resourceGroup,
        ref.name,
      );
      return toIdentityState(identity);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toArmRequestError(e, `read userAssignedIdentity ${ref.name}`);
    }
  }

  /** PUT an identity (create or update its tags). */
  async put(
    ref: IdentityRef,
    location: string,
    tags: Record<string, string>,
  ): Promise<IdentityState> {
    try {
      const identity = await this.client(ref).userAssignedIdentities.createOrUpdate(
        ref.resourceGroup,
        ref.name,
        { location, tags },
      );
      return toIdentityState(identity);
    } catch (e) {
      throw toArmRequestError(e, `create userAssignedIdentity ${ref.name}`);
    }
  }

  /** DELETE an identity; a 404 counts as done. */
  async delete(ref: IdentityRef): Promise<void> {
    try {
      await this.client(ref).userAssignedIdentities.delete(ref.resourceGroup, ref.name);
    } catch (e) {
      if (!isNotFound(e)) throw toArmRequestError(e, `delete userAssignedIdentity ${ref.name}`);
    }
  }

  /** Lists the identities of a resource group (prune and sweep only; never the hot path). */
  async listInResourceGroup(
    subscriptionId: string,
    resourceGroup: string,
  ): Promise<IdentityState[]> {
    const out: IdentityState[] = [];
    try {
      const pages = this.client({ subscriptionId });
      for await (const identity of pages.userAssignedIdentities.listByResourceGroup(
        resourceGroup,
      )) {
        out.push(toIdentityState(identity));
      }
    } catch (e) {
      if (isNotFound(e)) return out;
      throw toArmRequestError(e, `list userAssignedIdentities in ${resourceGroup}`);
    }
    return out;
  }

  /** Lists the identities of a subscription (offboarding only). */
  async listInSubscription(subscriptionId: string): Promise<IdentityState[]> {
    const out: IdentityState[] = [];
    try {
      const client = this.client({ subscriptionId });
      for await (const identity of client.userAssignedIdentities.listBySubscription()) {
        out.push(toIdentityState(identity));
      }
    } catch (e) {
      throw toArmRequestError(e, `list userAssignedIdentities in subscription ${subscriptionId}`);
    }
    return out;
  }

  /** Lists every credential of an identity, following nextLink. */
  async listCredentials(ref: IdentityRef): Promise<CredentialState[]> {
    const out: CredentialState[] = [];
    try {
      const pages = this.client(ref).federatedIdentityCredentials.list(ref.resourceGroup, ref.name);
      for await (const credential of pages) out.push(toCredentialState(credential));
    } catch (e) {
      throw toArmRequestError(e, `list federatedIdentityCredentials of ${ref.name}`);
    }
    return out;
  }

  /** Lists an identity's credentials. @returns undefined when the identity does not exist. */
  async tryListCredentials(ref: IdentityRef): Promise<CredentialState[] | undefined> {
    try {
      return await this.listCredentials(ref);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** PUT a credential (create, or update its issuer in place). */
  async putCredential(ref: IdentityRef, credential: CredentialState): Promise<void> {
    const { name, ...properties } = credential;
    try {
      await this.client(ref).federatedIdentityCredentials.createOrUpdate(
        ref.resourceGroup,
        ref.name,
        name,
        properties,
      );
    } catch (e) {
      throw toArmRequestError(e, `write federatedIdentityCredential ${name} on ${ref.name}`);
    }
  }

  /** DELETE a credential; a 404 counts as done. */
  async deleteCredential(ref: IdentityRef, name: string): Promise<void> {
    try {
      await this.client(ref).federatedIdentityCredentials.delete(ref.resourceGroup, ref.name, name);
    } catch (e) {
      if (!isNotFound(e)) {
        throw toArmRequestError(e, `delete federatedIdentityCredential ${name} on ${ref.name}`);
      }
    }
  }

  private client(ref: Pick<IdentityRef, "subscriptionId">): ManagedServiceIdentityClient {
    let client = this.clients.get(ref.subscriptionId);
    if (!client) {
      const options = buildArmClientOptions(this.options);
      client = new ManagedServiceIdentityClient(this.options.credential, ref.subscriptionId, {
        ...options,
        credentialScopes: [armScope(options.endpoint)],
      });
      this.clients.set(ref.subscriptionId, client);
    }
    return client;
  }
}

function toIdentityState(identity: Identity): IdentityState {
  return {
    id: identity.id ?? "",
    name: identity.name ?? "",
    location: identity.location,
    tags: identity.tags ?? {},
    clientId: identity.clientId,
    principalId: identity.principalId,
    tenantId: identity.tenantId,
  };
}

function toCredentialState(credential: FederatedIdentityCredential): CredentialState {
  return {
    name: credential.name ?? "",
    issuer: credential.issuer ?? "",
    subject: credential.subject ?? "",
    audiences: credential.audiences ?? [],
  };
}
