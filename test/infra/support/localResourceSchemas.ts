/**
 * Schemas of our own for resource types whose provider schema is not in the vendored set
 * (../shared/reference/arm-template-schemas). Written from the public REST shape of each type and
 * deliberately small: they catch a wrong shape, not every wrong value. Every type listed here is
 * reported by the validation test, so the gap stays visible.
 */

const expression = {
  $ref: "https://schema.management.azure.com/schemas/common/definitions.json#/definitions/expression",
};

function orExpression(schema: object): object {
  return { oneOf: [schema, expression] };
}

const condition = {
  type: "object",
  required: ["query", "timeAggregation", "operator", "threshold"],
  additionalProperties: false,
  properties: {
    query: { type: "string", minLength: 1 },
    timeAggregation: orExpression({ enum: ["Count", "Average", "Minimum", "Maximum", "Total"] }),
    metricMeasureColumn: { type: "string" },
    resourceIdColumn: { type: "string" },
    operator: orExpression({
      enum: ["Equals", "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual"],
    }),
    threshold: orExpression({ type: "number" }),
    failingPeriods: orExpression({
      type: "object",
      additionalProperties: false,
      properties: {
        numberOfEvaluationPeriods: orExpression({ type: "integer", minimum: 1 }),
        minFailingPeriodsToAlert: orExpression({ type: "integer", minimum: 1 }),
      },
    }),
  },
};

/** Microsoft.Insights/scheduledQueryRules 2023-12-01, kind LogAlert (the fields we use). */
const scheduledQueryRules = {
  type: "object",
  required: ["name", "type", "apiVersion", "location", "properties"],
  properties: {
    type: { enum: ["Microsoft.Insights/scheduledQueryRules"] },
    apiVersion: { enum: ["2023-12-01"] },
    name: { type: "string" },
    location: { type: "string" },
    kind: orExpression({ enum: ["LogAlert", "LogToMetric"] }),
    tags: orExpression({ type: "object", additionalProperties: { type: "string" } }),
    properties: {
      type: "object",
      required: ["scopes", "criteria", "severity", "evaluationFrequency", "windowSize"],
      additionalProperties: false,
      properties: {
        displayName: { type: "string" },
        description: { type: "string" },
        enabled: orExpression({ type: "boolean" }),
        severity: orExpression({ type: "integer", enum: [0, 1, 2, 3, 4] }),
        scopes: orExpression({ type: "array", minItems: 1, items: { type: "string" } }),
        evaluationFrequency: { type: "string", pattern: "^(PT\\d+[MH]|P\\d+D|\\[.*\\])$" },
        windowSize: { type: "string", pattern: "^(PT\\d+[MH]|P\\d+D|\\[.*\\])$" },
        autoMitigate: orExpression({ type: "boolean" }),
        muteActionsDuration: { type: "string" },
        criteria: {
          type: "object",
          required: ["allOf"],
          additionalProperties: false,
          properties: { allOf: { type: "array", minItems: 1, items: condition } },
        },
        actions: orExpression({
          type: "object",
          additionalProperties: false,
          properties: {
            actionGroups: orExpression({ type: "array", items: { type: "string" } }),
            customProperties: orExpression({ type: "object" }),
          },
        }),
      },
    },
  },
};

/** Local schemas by `type@apiVersion`, type lower-cased. */
export const LOCAL_RESOURCE_SCHEMAS: Readonly<Record<string, object>> = {
  "microsoft.insights/scheduledqueryrules@2023-12-01": scheduledQueryRules,
};
