// Request shapes of /api/domains (other-resources.md §3): `{hostname}`, normalised here once (lower-case, punycode).
import { z } from "zod";
import { normalizeHostname } from "@/lib/domains/hostname";

export const ZHostname = z.string({ error: "send the hostname as a string, such as media.example.com" }).transform((value, ctx) => {
  const result = normalizeHostname(value.slice(0, 1000));
  if (result.ok) return result.hostname;
  ctx.addIssue({ code: "custom", message: result.message });
  return z.NEVER;
});

export const ZCreateDomain = z.strictObject({ hostname: ZHostname });
export type TCreateDomain = z.infer<typeof ZCreateDomain>;
