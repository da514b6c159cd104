// Every validation message a dashboard form shows is in a person's words, never zod's defaults.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { actionFailure } from "@/lib/dashboard/action-result";

function failureOf(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to be refused");
  return actionFailure(parsed.error).fieldErrors;
}

describe("actionFailure for zod errors", () => {
  it("replaces zod's default messages with plain ones", () => {
    const schema = z.object({ name: z.string().trim().min(1).max(5), email: z.email(), count: z.number().min(2), role: z.enum(["owner", "member"]) });
    const errors = failureOf(schema, { name: "", email: "nope", count: 1, role: "boss" });
    expect(errors).toEqual({
      name: "fill this in",
      email: "enter an email address, e.g. name@example.com",
      count: "use a value of at least 2",
      role: "choose one of: owner, member",
    });
    expect(failureOf(schema, { name: "toolong", email: "a@b.co", count: 2, role: "owner" })).toEqual({ name: "use at most 5 characters" });
    for (const message of Object.values(errors)) expect(message).not.toMatch(/expected|Too small|Invalid/);
  });

  it("keeps a schema's own message", () => {
    expect(failureOf(z.object({ name: z.string().min(1, "name the key") }), { name: "" })).toEqual({ name: "name the key" });
  });
});
