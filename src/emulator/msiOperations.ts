/** `GET /providers/Microsoft.ManagedIdentity/operations`: the identity service's operation list. */
import type { Handler } from "./context.js";

const entries: [string, string, string][] = [
  [
    "userAssignedIdentities/read",
    "Get User Assigned Identity",
    "Gets an existing user assigned identity",
  ],
  [
    "userAssignedIdentities/write",
    "Create/Update User Assigned Identity",
    "Creates or updates a user assigned identity",
  ],
  [
    "userAssignedIdentities/delete",
    "Delete User Assigned Identity",
    "Deletes an existing user assigned identity",
  ],
  [
    "userAssignedIdentities/federatedIdentityCredentials/read",
    "Get Federated Identity Credential",
    "Gets a federated identity credential",
  ],
  [
    "userAssignedIdentities/federatedIdentityCredentials/write",
    "Create/Update Federated Identity Credential",
    "Creates or updates a federated identity credential",
  ],
  [
    "userAssignedIdentities/federatedIdentityCredentials/delete",
    "Delete Federated Identity Credential",
    "Deletes a federated identity credential",
  ],
];

export const listMsiOperations: Handler = () => ({
  status: 200,
  body: {
    value: entries.map(([name, operation, description]) => ({
      name: `Microsoft.ManagedIdentity/${name}`,
      display: {
        provider: "Managed Service Identity",
        resource: name.includes("federated")
          ? "Federated Identity Credentials"
          : "User Assigned Identities",
        operation,
        description,
      },
    })),
  },
});
