import { z } from "zod";

export const ZCreateKey = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  admin: z.boolean().optional(),
});
export type TCreateKey = z.infer<typeof ZCreateKey>;

export const ZUpdateKey = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  status: z.enum(["active", "paused"]).optional(),
});
export type TUpdateKey = z.infer<typeof ZUpdateKey>;
