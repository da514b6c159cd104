"use server";
// Connection mutations from the dashboard: the same services and schemas as /api/connections.
import { projectScopeFor } from "@/lib/auth/session";
import { createConnection, deleteConnection, testConnection, updateConnection } from "@/lib/connections/connections";
import { ZCreateConnection, ZUpdateConnection } from "@/lib/connections/schemas";
import { actionFailure, type ActionFailure, type ActionResult, type FieldErrors } from "@/lib/dashboard/action-result";
import { toConnectionView, type ConnectionFormValues, type ConnectionTestResult, type ConnectionView } from "@/lib/dashboard/views";

type Target = { projectId: string; connectionId: string };

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

const blankToUndefined = (value: string): string | undefined => (value.trim() ? value.trim() : undefined);

export async function createConnectionAction(input: { projectId: string; values: ConnectionFormValues }): Promise<ActionResult<{ connection: ConnectionView }>> {
  const { values } = input;
  const blank = blankFieldErrors(values, ["endpoint", "access_key_id", "secret_access_key"]);
  if (Object.keys(blank).length > 0) return invalid(blank);
  try {
    const { scope } = await projectScopeFor(input.projectId);
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
  } catch (error) {
    return actionFailure(error, { conflictField: "name" });
  }
}

export async function updateConnectionAction(input: Target & { values: ConnectionFormValues }): Promise<ActionResult<{ connection: ConnectionView }>> {
  const { values } = input;
  const blank = blankFieldErrors(values, ["endpoint", "access_key_id"]);
  if (!values.name.trim()) blank.name = "enter a name";
  if (Object.keys(blank).length > 0) return invalid(blank);
  try {
    const { scope } = await projectScopeFor(input.projectId);
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
    return { ok: true, connection: toConnectionView(await updateConnection(scope, input.connectionId, parsed)) };
  } catch (error) {
    return actionFailure(error, { conflictField: "name" });
  }
}

export async function makeDefaultConnectionAction(input: Target): Promise<ActionResult> {
  try {
    const { scope } = await projectScopeFor(input.projectId);
    await updateConnection(scope, input.connectionId, { is_default: true });
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function deleteConnectionAction(input: Target): Promise<ActionResult> {
  try {
    const { scope } = await projectScopeFor(input.projectId);
    await deleteConnection(scope, input.connectionId);
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}

/** A failed test is still a successful action: `result` carries the S3 server's own error. */
export async function testConnectionAction(input: Target): Promise<ActionResult<{ result: ConnectionTestResult; testedAt: string }>> {
  try {
    const { scope } = await projectScopeFor(input.projectId);
    const result = await testConnection(scope, input.connectionId);
    return { ok: true, result, testedAt: new Date().toISOString() };
  } catch (error) {
    return actionFailure(error);
  }
}
