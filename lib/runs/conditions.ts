// `conditions` steps (tasks.md §5.17): compare properties of the parent's output file. Every
// condition must hold for the branch to continue. Operators: eq (default), ne, gt, gte, lt, lte,
// in, contains, exists; props like `kind`, `type`, `file.size`, `media.kind`, `width`, `duration`.
import { z } from "zod";

export const CONDITION_OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "contains", "exists"] as const;

export const ZCondition = z.object({
  prop: z.string().trim().min(1, "prop is required"),
  operator: z.enum(CONDITION_OPERATORS).default("eq"),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]).optional(),
});
export type TCondition = z.infer<typeof ZCondition>;
export const ZConditions = z.array(ZCondition).min(1, "a conditions step needs at least one condition").max(20);

export type Facts = Record<string, string | number | boolean | null | undefined>;
export type ConditionResult = { prop: string; operator: string; value: unknown; actual: unknown };
export type Evaluation = { passed: ConditionResult[]; failed: ConditionResult[]; continue: boolean };

const ALIASES: Record<string, string> = { size: "filesize", file_size: "filesize", mimetype: "type", mime: "type", format: "container", framerate: "fps" };

function factFor(facts: Facts, prop: string): unknown {
  const bare = prop.replace(/^(file|media|input|output)\./, "");
  return facts[ALIASES[bare] ?? bare];
}

function asNumber(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function same(actual: unknown, expected: unknown): boolean {
  const a = asNumber(actual);
  const b = asNumber(expected);
  if (a !== null && b !== null) return a === b;
  return String(actual).toLowerCase() === String(expected).toLowerCase();
}

export function holds(condition: TCondition, facts: Facts): boolean {
  const actual = factFor(facts, condition.prop);
  const expected = condition.value;
  switch (condition.operator) {
    case "exists":
      return actual !== undefined && actual !== null && actual !== "" && expected !== false;
    case "eq":
      return actual !== undefined && actual !== null && same(actual, expected);
    case "ne":
      return !same(actual, expected);
    case "in": {
      const options = Array.isArray(expected) ? expected : String(expected ?? "").split(",").map((v) => v.trim());
      return options.some((option) => same(actual, option));
    }
    case "contains":
      return typeof actual === "string" && actual.toLowerCase().includes(String(expected).toLowerCase());
    default: {
      const a = asNumber(actual);
      const b = asNumber(expected);
      if (a === null || b === null) return false;
      return condition.operator === "gt" ? a > b : condition.operator === "gte" ? a >= b : condition.operator === "lt" ? a < b : a <= b;
    }
  }
}

export function evaluateConditions(conditions: TCondition[], facts: Facts): Evaluation {
  const passed: ConditionResult[] = [];
  const failed: ConditionResult[] = [];
  for (const condition of conditions) {
    const result = { prop: condition.prop, operator: condition.operator, value: condition.value ?? null, actual: factFor(facts, condition.prop) ?? null };
    (holds(condition, facts) ? passed : failed).push(result);
  }
  return { passed, failed, continue: failed.length === 0 };
}
