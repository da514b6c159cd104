"use server";
// API key mutations from the dashboard: the same services and schemas as POST/DELETE /api/keys.
import { projectScopeFor } from "@/lib/auth/session";
import { actionFailure, type ActionResult } from "@/lib/dashboard/action-result";
import { toKeyView, type KeyView } from "@/lib/dashboard/views";
import { createKey, revokeKey } from "@/lib/keys/keys";
import { ZCreateKey } from "@/lib/keys/schemas";

export async function createKeyAction(input: { projectId: string; name: string }): Promise<ActionResult<{ key: KeyView; secret: string }>> {
  if (!input.name.trim()) return { ok: false, error: "Check the highlighted fields.", fieldErrors: { name: "name the key, e.g. after the server that will use it" } };
  try {
    const { scope } = await projectScopeFor(input.projectId);
    const { key, secret } = await createKey(scope, ZCreateKey.parse({ name: input.name }));
    return { ok: true, key: toKeyView(key), secret };
  } catch (error) {
    return actionFailure(error, { conflictField: "name" });
  }
}

export async function revokeKeyAction(input: { projectId: string; keyId: string }): Promise<ActionResult<{ key: KeyView }>> {
  try {
    const { scope } = await projectScopeFor(input.projectId);
    return { ok: true, key: toKeyView(await revokeKey(scope, input.keyId)) };
  } catch (error) {
    return actionFailure(error);
  }
}
