import { asArray, asRecord, asString, type RawProblem } from "./rawDocument.js";

/**
 * Cross-checks what the schema cannot see: rules naming profiles that do not exist, identity ids
 * used twice in a profile, `serviceAccountsFromTag.identity` naming no identity of its profile,
 * and tag keys written twice in one condition (tag keys are case-insensitive).
 *
 * @param raw - the parsed YAML/JSON, before or after the schema (tolerant of bad shapes).
 * @returns every problem found; empty when none.
 */
export function checkPolicyReferences(raw: unknown): RawProblem[] {
  const doc = asRecord(raw) ?? {};
  const profiles = asRecord(doc.profiles) ?? {};

  return [
    ...Object.entries(profiles).flatMap(([name, profile]) => checkProfile(name, profile)),
    ...asArray(doc.rules).flatMap((rule, index) => checkRule(index, rule, profiles)),
  ];
}

function checkProfile(profileName: string, profile: unknown): RawProblem[] {
  const record = asRecord(profile) ?? {};
  const ids = asArray(record.identities).map((identity) => asString(asRecord(identity)?.id));
  const problems: RawProblem[] = [];

  ids.forEach((id, index) => {
    if (id !== undefined && ids.indexOf(id) !== index) {
      const path = ["profiles", profileName, "identities", index, "id"];
      const message = `identity id "${id}" is used twice in profile "${profileName}"; keys "<profile>/<identity>" must be unique`;
      problems.push({ path, message });
    }
  });

  const target = asString(asRecord(record.serviceAccountsFromTag)?.identity);
  if (target !== undefined && !ids.includes(target)) {
    const known = ids.filter((id) => id !== undefined).join(", ") || "none";
    const path = ["profiles", profileName, "serviceAccountsFromTag", "identity"];
    const message = `no identity "${target}" in profile "${profileName}" (its identities: ${known})`;
    problems.push({ path, message });
  }
  return problems;
}

function checkRule(index: number, rule: unknown, profiles: Record<string, unknown>): RawProblem[] {
  const record = asRecord(rule) ?? {};
  const known = Object.keys(profiles);
  const problems: RawProblem[] = [];

  asArray(record.profiles).forEach((name, position) => {
    if (typeof name === "string" && !known.includes(name)) {
      const message = `no profile named "${name}"; defined profiles: ${known.join(", ") || "none"}`;
      problems.push({ path: ["rules", index, "profiles", position], message });
    }
  });

  for (const part of ["match", "exclude"]) {
    const tags = asRecord(asRecord(record[part])?.tags) ?? {};
    problems.push(...checkTagKeysOnce(tags, ["rules", index, part, "tags"]));
  }
  return problems;
}

/** Tag keys that differ only in case name the same Azure tag: refuse the second one. */
export function checkTagKeysOnce(tags: Record<string, unknown>, path: PropertyKey[]): RawProblem[] {
  const seen = new Map<string, string>();
  const problems: RawProblem[] = [];

  for (const key of Object.keys(tags)) {
    const first = seen.get(key.toLowerCase());
    if (first === undefined) {
      seen.set(key.toLowerCase(), key);
    } else {
      const message = `tag key "${key}" is the same tag as "${first}" (Azure tag keys are case-insensitive); keep one`;
      problems.push({ path: [...path, key], message });
    }
  }
  return problems;
}
