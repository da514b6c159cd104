// Dashboard server actions: the session (and project) first, then the arguments, so a caller without a
// session learns nothing from validation and malformed input from a signed-in page never crashes.
// Usage in a "use server" file: `export const renameThingAction = projectAction(ZRenameThing, async ({ scope }, input) => ({ ok: true }), { conflictField: "name" });`
// — the schema includes `projectId`; `userAction` is the same for actions that act on the person, not a project.
import type { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { getSessionUser, projectScopeFor, type SessionUser } from "@/lib/auth/session";
import { actionFailure, type ActionResult } from "@/lib/dashboard/action-result";
import type { ProjectScope } from "@/lib/keys/keys";
import type { UserProject } from "@/lib/users/users";

export type UserActionContext = { user: SessionUser };
export type ProjectActionContext = { user: SessionUser; project: UserProject; scope: ProjectScope };
type ActionOptions = { conflictField?: string };

const sessionEnded = () => new AppError("token_missing", "Your session has ended. Sign in again.");

function parseInput<TSchema extends z.ZodType>(schema: TSchema, raw: unknown): z.output<TSchema> {
  // parse() throws a ZodError, which actionFailure turns into field errors.
  return schema.parse(raw);
}

/** The one shape of every action: the session first, then `run` (which validates), every failure as a form result. */
function withSession<TData extends object>(
  run: (user: SessionUser, raw: unknown) => Promise<ActionResult<TData>>,
  options: ActionOptions,
): (raw: unknown) => Promise<ActionResult<TData>> {
  return async (raw: unknown) => {
    try {
      const user = await getSessionUser();
      if (!user) throw sessionEnded();
      return await run(user, raw);
    } catch (error) {
      return actionFailure(error, options);
    }
  };
}

/** A server action for the signed-in person: session check, then `schema.parse(input)`, then `handler`. */
export function userAction<TSchema extends z.ZodType, TData extends object>(
  schema: TSchema,
  handler: (context: UserActionContext, input: z.output<TSchema>) => Promise<ActionResult<TData>>,
  options: ActionOptions = {},
): (input: z.input<TSchema>) => Promise<ActionResult<TData>> {
  return withSession((user, raw) => handler({ user }, parseInput(schema, raw)), options);
}

/**
 * A server action on one of the person's projects: session check, then membership of `input.projectId`
 * (another project is "not found"), then `schema.parse(input)`, then `handler` with the project's scope.
 */
export function projectAction<TSchema extends z.ZodType<{ projectId: string }>, TData extends object>(
  schema: TSchema,
  handler: (context: ProjectActionContext, input: z.output<TSchema>) => Promise<ActionResult<TData>>,
  options: ActionOptions = {},
): (input: z.input<TSchema>) => Promise<ActionResult<TData>> {
  return withSession(async (user, raw) => {
    const projectId = typeof raw === "object" && raw !== null ? (raw as { projectId?: unknown }).projectId : undefined;
    const { project, scope } = await projectScopeFor(typeof projectId === "string" ? projectId : "");
    return handler({ user, project, scope }, parseInput(schema, raw));
  }, options);
}
