// One error type for every service; one table from its code to the HTTP status.
export const ERROR_STATUS = {
  request_invalid: 400,
  invalid_input: 400,
  url_required: 400,
  format_unsupported: 400,
  connection_required: 400,
  version_invalid: 400,
  token_missing: 401,
  token_invalid: 401,
  payment_required: 402,
  admin_required: 403,
  project_required: 403,
  forbidden: 403,
  owner_required: 403,
  signup_closed: 403,
  not_found: 404,
  project_not_found: 404,
  key_not_found: 404,
  connection_not_found: 404,
  file_not_found: 404,
  media_not_found: 404,
  task_not_found: 404,
  run_not_found: 404,
  job_not_found: 404,
  upload_not_found: 404,
  domain_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invitation_invalid: 410,
  upload_gone: 410,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_conflict: 422,
  unprocessable: 422,
  connection_verification_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorDetail = { field?: string; message: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function notFound(code: ErrorCode, resource: string, id: string): AppError {
  return new AppError(
    code,
    `No ${resource} with id '${id}' in this project. Check the id, and that the API key belongs to the project that owns it.`,
  );
}
