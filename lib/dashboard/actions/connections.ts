"use server";
// Connection mutations from the dashboard: the same services and schemas as /api/connections.
import { z } from "zod";
import { createConnection, deleteConnection, testConnection, updateConnection } from "@/lib/connections/connections";
import { describeBlockedEndpoint } from "@/lib/connections/endpoint-policy";
import { ZCreateConnection, ZUpdateConnection } from "@/lib/connections/schemas";
import { projectAction } from "@/lib/dashboard/action";
import type { ActionFailure, ActionResult, FieldErrors } from "@/lib/dashboard/action-result";
import { toConnectionView, type ConnectionFormValues, type ConnectionTestResult, type ConnectionView } from "@/lib/dashboard/views";

const ZTarget = z.object({ projectId: z.string(), connectionId: z.string().max(100) });

const ZFormValues = z.object({
  name: z.string().max(1000),
  endpoint: z.string().max(4000),
  region: z.string().max(1000),
  access_key_id: z.string().max(1000),
  secret_access_key: z.string().max(4000),
  bucket: z.string().max(1000),
  force_path_style: z.boolean(),
  is_default: z.boolean(),
}) satisfies z.ZodType<ConnectionFormValues>;

const REQUIRED = {
  endpoint: "enter the endpoint URL, e.g. https://s3.us-east-1.amazonaws.com",
  access_key_id: "enter the access key ID",
  secret_access_key: "enter the secret access key",
} satisfies Partial<Record<keyof ConnectionFormValues, string>>;

/** Blank required fields get a plain sentence instead of the schema's length message. */
function blankFieldErrors(values: ConnectionFormValues, fields: (keyof typeof REQUIRED)[]): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const field of fields) {
    if (!values[field].trim()) fieldErrors[field] = REQUIRED[field];
  }
  return fieldErrors;
}

function invalid(fieldErrors: FieldErrors): ActionFailure {
  return { ok: false, error: "Check the highlighted fields.", fieldErrors };
}

/** A blocked endpoint is refused on save, next to the field, rather than discovered by the first test. */
async function blockedEndpointErrors(endpoint: string): Promise<FieldErrors> {
  let blocked: string | null;
  try {
    blocked = await describeBlockedEndpoint(endpoint.trim());
  } catch {
    // Not a URL: the schema's own message says so.
    return {};
  }
  return blocked ? { endpoint: blocked } : {};
}

const blankToUndefined = (value: string): string | undefined => (value.trim() ? value.trim() : undefined);

export const createConnectionAction = projectAction(
  z.object({ projectId: z.string(), values: ZFormValues }),
  async ({ scope }, { values }): Promise<ActionResult<{ connection: ConnectionView }>> => {
    const blank = blankFieldErrors(values, ["endpoint", "access_key_id", "secret_access_key"]);
    if (Object.keys(blank).length > 0) return invalid(blank);
    const blocked = await blockedEndpointErrors(values.endpoint);
    if (Object.keys(blocked).length > 0) return invalid(blocked);
    const parsed = ZCreateConnection.parse({
      name: blankToUndefined(values.name),
      endpoint: values.endpoint,
      region: blankToUndefined(values.region),
      access_key_id: values.access_key_id,
      secret_access_key: values.secret_access_key,
      bucket: blankToUndefined(values.bucket),
      force_path_style: values.force_path_style,
      is_default: values.is_default || undefined,
    });
    return { ok: true, connection: toConnectionView(await createConnection(scope, parsed)) };
  },
  { conflictField: "name" },
);

export const updateConnectionAction = projectAction(
  ZTarget.extend({ values: ZFormValues }),
  async ({ scope }, { connectionId, values }): Promise<ActionResult<{ connection: ConnectionView }>> => {
    const blank = blankFieldErrors(values, ["endpoint", "access_key_id"]);
    if (!values.name.trim()) blank.name = "enter a name";
    if (Object.keys(blank).length > 0) return invalid(blank);
    const blocked = await blockedEndpointErrors(values.endpoint);
    if (Object.keys(blocked).length > 0) return invalid(blocked);
    const parsed = ZUpdateConnection.parse({
      name: values.name,
      endpoint: values.endpoint,
      region: blankToUndefined(values.region) ?? "auto",
      access_key_id: values.access_key_id,
      // Blank keeps the stored secret.
      secret_access_key: values.secret_access_key ? values.secret_access_key : undefined,
      bucket: blankToUndefined(values.bucket) ?? null,
      force_path_style: values.force_path_style,
      // Unticking never clears the default: a project keeps one until another takes over.
      is_default: values.is_default || undefined,
    });
    return { ok: true, connection: toConnectionView(await updateConnection(scope, connectionId, parsed)) };
  },
  { conflictField: "name" },
);

export const makeDefaultConnectionAction = projectAction(ZTarget, async ({ scope }, { connectionId }): Promise<ActionResult> => {
  await updateConnection(scope, connectionId, { is_default: true });
  return { ok: true };
});

export const deleteConnectionAction = projectAction(ZTarget, async ({ scope }, { connectionId }): Promise<ActionResult> => {
  await deleteConnection(scope, connectionId);
  return { ok: true };
});

/** A failed test is still a successful action: `result` carries the S3 server's own error. */
export const testConnectionAction = projectAction(
  ZTarget,
  async ({ scope }, { connectionId }): Promise<ActionResult<{ result: ConnectionTestResult; testedAt: string }>> => {
    const result = await testConnection(scope, connectionId);
    return { ok: true, result, testedAt: new Date().toISOString() };
  },
);
