/** The body of a role assignment PUT (RoleAssignmentCreateParameters, 2022-04-01), checked. */
import { isObject } from "./clusterModel.js";
import { ArmError, armErrors } from "./errors.js";
import type { RoleAssignmentRecord } from "./roleAssignments.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_DEFINITION_ID =
  /^(?:\/subscriptions\/[0-9a-f-]{36})?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/i;
const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"];

/** What a PUT asks for. */
export type RoleAssignmentWanted = Pick<
  RoleAssignmentRecord,
  | "roleDefinitionId"
  | "principalId"
  | "principalType"
  | "description"
  | "condition"
  | "conditionVersion"
>;

/** Reads and checks a PUT body; throws ARM's error for the first problem. */
export function readRoleAssignmentBody(body: unknown): RoleAssignmentWanted {
  const props = isObject(body) ? body.properties : undefined;
  if (!isObject(props)) throw armErrors.invalidRequestContent("'properties' is required.");
  const { roleDefinitionId, principalId, principalType, description, condition } = props;
  if (typeof roleDefinitionId !== "string" || !ROLE_DEFINITION_ID.test(roleDefinitionId)) {
    throw new ArmError(400, "InvalidRoleDefinitionId", "The role definition ID is not valid.");
  }
  if (typeof principalId !== "string" || !GUID.test(principalId)) {
    throw new ArmError(400, "InvalidPrincipalId", "A valid principal ID must be provided.");
  }
  const type = principalType ?? "User";
  if (typeof type !== "string" || !PRINCIPAL_TYPES.includes(type)) {
    throw armErrors.invalidRequestContent(`principalType ${JSON.stringify(type)} is not valid.`);
  }
  checkSize(description, 2048, "description");
  checkSize(condition, 8192, "condition");
  const conditionVersion = props.conditionVersion;
  if (condition !== undefined && conditionVersion !== undefined && conditionVersion !== "2.0") {
    throw armErrors.invalidRequestContent("conditionVersion must be '2.0'.");
  }
  return {
    roleDefinitionId,
    principalId,
    principalType: type,
    ...(typeof description === "string" ? { description } : {}),
    ...(typeof condition === "string" ? { condition, conditionVersion: "2.0" } : {}),
  };
}

function checkSize(value: unknown, max: number, field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || value.length > max) {
    throw armErrors.invalidRequestContent(
      `'${field}' must be a string of at most ${max} characters.`,
    );
  }
}
