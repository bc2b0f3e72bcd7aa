/**
 * The policy: load and validate it, then evaluate it for one cluster. See docs/policy.md.
 */
export { evaluatePolicy } from "./evaluatePolicy.js";
export { loadPolicy, type LoadPolicyOptions } from "./loadPolicy.js";
export { parsePolicy } from "./parsePolicy.js";
export {
  DEFAULT_OPT_OUT_TAG,
  DEFAULT_UNSUPPORTED_CREDENTIAL_REGIONS,
  MAX_CREDENTIALS_PER_IDENTITY,
  policyDocumentSchema,
  type PolicyDocument,
  type PolicyIdentity,
  type PolicyProfile,
  type PolicyRoleAssignment,
  type PolicyRule,
} from "./policySchema.js";
export type {
  ClusterFacts,
  DesiredIdentity,
  DesiredRoleAssignment,
  DesiredServiceAccount,
  IdentityProblem,
  LoadedPolicy,
  PolicyEvaluation,
} from "./policyTypes.js";
export {
  BUILT_IN_ROLES,
  PRIVILEGED_ROLES,
  resolveRole,
  type ResolvedRole,
} from "./roleDefinitions.js";
export { PolicyValidationError, type PolicyProblem } from "./policyValidationError.js";
