import type { TokenCredential } from "@azure/core-auth";
import { AuthorizationManagementClient, type RoleAssignment } from "@azure/arm-authorization";

import { buildArmClientOptions, type ArmConnection } from "./armClientOptions.js";
import { isNotFound, toArmRequestError } from "./armRequestError.js";
import { armScope } from "./clusterGateway.js";

/** A role assignment as the engine uses it. */
export interface RoleAssignmentState {
  id: string;
  /** The assignment's name (a GUID). */
  name: string;
  /** The resource id it is assigned at, as ARM returns it. */
  scope: string;
  /** The full role definition id; compare its trailing GUID only (ROLE-ASSIGNMENTS.md §2). */
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  description?: string;
}

/** What a role assignment PUT sends. */
export interface RoleAssignmentWrite {
  scope: string;
  name: string;
  roleDefinitionGuid: string;
  principalId: string;
  description: string;
}

/**
 * `Microsoft.Authorization/roleAssignments` through `@azure/arm-authorization` (api-version
 * 2022-04-01). Every PUT sends `principalType: ServicePrincipal`: it is what the delegation
 * condition checks, and it lets ARM accept a principal that has not replicated yet.
 * All methods throw `ArmRequestError`.
 *
 * @see https://learn.microsoft.com/rest/api/authorization/role-assignments
 */
export class RoleAssignmentGateway {
  private readonly clients = new Map<string, AuthorizationManagementClient>();

  constructor(private readonly options: ArmConnection & { credential: TokenCredential }) {}

  /** PUT a role assignment (create; an identical re-PUT answers 200). */
  async create(write: RoleAssignmentWrite): Promise<RoleAssignmentState> {
    const subscriptionId = subscriptionOf(write.scope);
    try {
      const created = await this.client(subscriptionId).roleAssignments.create(
        trimSlash(write.scope),
        write.name,
        {
          roleDefinitionId: roleDefinitionIdOf(subscriptionId, write.roleDefinitionGuid),
          principalId: write.principalId,
          principalType: "ServicePrincipal",
          description: write.description,
        },
      );
      return toState(created);
    } catch (e) {
      throw toArmRequestError(e, `create role assignment ${write.name} at ${write.scope}`);
    }
  }

  /** DELETE a role assignment; 204 and 404 count as done. */
  async delete(scope: string, name: string): Promise<void> {
    try {
      await this.client(subscriptionOf(scope)).roleAssignments.delete(trimSlash(scope), name);
    } catch (e) {
      if (!isNotFound(e)) throw toArmRequestError(e, `delete role assignment ${name} at ${scope}`);
    }
  }

  /**
   * Lists a principal's role assignments at, above or below `scope` (`$filter=principalId eq`),
   * following nextLink.
   */
  async listForPrincipal(scope: string, principalId: string): Promise<RoleAssignmentState[]> {
    const out: RoleAssignmentState[] = [];
    try {
      const pages = this.client(subscriptionOf(scope)).roleAssignments.listForScope(
        trimSlash(scope),
        { filter: `principalId eq '${principalId}'` },
      );
      for await (const assignment of pages) out.push(toState(assignment));
    } catch (e) {
      throw toArmRequestError(e, `list role assignments of ${principalId} at ${scope}`);
    }
    return out;
  }

  private client(subscriptionId: string): AuthorizationManagementClient {
    let client = this.clients.get(subscriptionId);
    if (!client) {
      const options = buildArmClientOptions(this.options);
      client = new AuthorizationManagementClient(this.options.credential, subscriptionId, {
        ...options,
        credentialScopes: [armScope(options.endpoint)],
      });
      this.clients.set(subscriptionId, client);
    }
    return client;
  }
}

/** The role definition id ARM expects in a PUT for a GUID, in the scope's subscription. */
export function roleDefinitionIdOf(subscriptionId: string, guid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

/** The trailing GUID of a role definition id, lower case. */
export function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split("/").pop() ?? "").toLowerCase();
}

/** The subscription of a scope `/subscriptions/<id>/...` (empty when it has none). */
export function subscriptionOf(scope: string): string {
  return trimSlash(scope).split("/")[1] ?? "";
}

// The SDK puts the scope into "/{scope}/providers/..." unencoded: a leading slash would double.
function trimSlash(scope: string): string {
  return scope.replace(/^\/+/, "");
}

function toState(assignment: RoleAssignment): RoleAssignmentState {
  return {
    id: assignment.id ?? "",
    name: assignment.name ?? "",
    scope: assignment.scope ?? "",
    roleDefinitionId: assignment.roleDefinitionId ?? "",
    principalId: assignment.principalId ?? "",
    principalType: assignment.principalType,
    description: assignment.description,
  };
}
