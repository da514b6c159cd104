"use server";
// API key mutations from the dashboard: the same services and schemas as the keys API. Only an owner of the
// organisation changes admin keys (the services check it).
import { z } from "zod";
import { projectAction, type ProjectActionContext } from "@/lib/dashboard/action";
import { toKeyView, type KeyView } from "@/lib/dashboard/views";
import { createKey, revokeKey, updateKey, type KeyActor } from "@/lib/keys/keys";
import { ZCreateKey } from "@/lib/keys/schemas";

const ZProjectKey = z.strictObject({ projectId: z.string().min(1).max(100), keyId: z.string().min(1).max(100) });
const ZCreateKeyAction = z.strictObject({
  projectId: z.string().min(1).max(100),
  name: z.string().trim().min(1, "name the key, e.g. after the server that will use it").max(100),
});
const ZSetKeyStatus = ZProjectKey.extend({ status: z.enum(["active", "paused"]) });

function memberActor({ project }: ProjectActionContext): KeyActor {
  return { kind: "member", owner: project.role === "owner" };
}

export const createKeyAction = projectAction(
  ZCreateKeyAction,
  async (ctx, input): Promise<{ ok: true; key: KeyView; secret: string }> => {
    const { key, secret } = await createKey(ctx.scope, ZCreateKey.parse({ name: input.name }), { actor: memberActor(ctx) });
    return { ok: true, key: toKeyView(key), secret };
  },
  { conflictField: "name" },
);

export const revokeKeyAction = projectAction(ZProjectKey, async (ctx, input): Promise<{ ok: true; key: KeyView }> => {
  return { ok: true, key: toKeyView(await revokeKey(ctx.scope, input.keyId, { actor: memberActor(ctx) })) };
});

/** Pause (requests with the key answer 401) or re-enable a key. */
export const setKeyStatusAction = projectAction(ZSetKeyStatus, async (ctx, input): Promise<{ ok: true; key: KeyView }> => {
  return { ok: true, key: toKeyView(await updateKey(ctx.scope, input.keyId, { status: input.status }, { actor: memberActor(ctx) })) };
});
