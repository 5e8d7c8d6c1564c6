// The error catalogue (one stable `error` string per failure, its HTTP status, numeric code and
// public text) and the renderer that turns an ApiError into the CloudBase error body.

export const ERRORS = {
  invalid_argument: { status: 400, code: 4000, text: "The request is malformed or a field is invalid" },
  invalid_username_or_password: { status: 400, code: 4003, text: "Incorrect username or password" },
  user_not_found: { status: 404, code: 4004, text: "No user has this phone number or email" },
  password_not_set: { status: 400, code: 4005, text: "This user has no password; sign in with a verification code" },
  invalid_status: { status: 400, code: 4006, text: "This account cannot sign in right now" },
  invalid_verification_code: { status: 400, code: 4007, text: "The verification code is wrong, expired or used up" },
  invalid_grant: { status: 400, code: 4008, text: "The token is invalid, expired, used or revoked" },
  unsupported_grant_type: { status: 400, code: 4009, text: "Only grant_type=refresh_token is supported" },
  captcha_required: { status: 400, code: 4028, text: "A captcha is required for this request" },
  rate_limit_exceeded: { status: 429, code: 4029, text: "Too many requests; retry later" },
  captcha_invalid: { status: 400, code: 4030, text: "The captcha token is wrong, expired or already used" },
  unauthenticated: { status: 401, code: 4010, text: "A valid access token is required" },
  permission_denied: { status: 403, code: 4031, text: "The admin token is missing or wrong" },
  not_found: { status: 404, code: 4040, text: "No such endpoint" },
  method_not_allowed: { status: 405, code: 4050, text: "Method not allowed on this endpoint" },
  failed_precondition: { status: 400, code: 4011, text: "This username, phone number or email is already taken" },
  already_exists: { status: 409, code: 4090, text: "A user with this username, phone number or email already exists" },
  request_too_large: { status: 413, code: 4130, text: "The request body is larger than 16 KiB" },
  unsupported_media_type: { status: 415, code: 4150, text: "Send the body as application/json or text/plain JSON" },
  internal: { status: 500, code: 5000, text: "Internal error" },
  unimplemented: { status: 501, code: 5010, text: "This method is not enabled" },
  unavailable: { status: 503, code: 5030, text: "A backing service is unavailable; retry later" },
} as const satisfies Record<string, { status: number; code: number; text: string }>;

export type ErrorName = keyof typeof ERRORS;

export interface FieldIssue {
  path: string;
  message: string;
}

/** A client-visible failure. `description` overrides the catalogue text; never put a secret in it. */
export class ApiError extends Error {
  constructor(
    readonly error: ErrorName,
    readonly options: {
      description?: string;
      details?: FieldIssue[];
      headers?: Record<string, string>;
      /** Internal cause: logged with the request id, never serialised. */
      cause?: unknown;
    } = {},
  ) {
    super(error, { cause: options.cause });
  }

  override readonly name = "ApiError";

  get status(): number {
    return ERRORS[this.error].status;
  }
}

export interface ErrorBody {
  error: ErrorName;
  error_code: number;
  error_description: string;
  details?: FieldIssue[];
  request_id?: string;
}

/** The CloudBase error body. 5xx bodies carry the request id so an operator can find the log line. */
export function errorBody(err: ApiError, requestId: string): ErrorBody {
  const entry = ERRORS[err.error];
  const body: ErrorBody = {
    error: err.error,
    error_code: entry.code,
    error_description: err.options.description ?? entry.text,
  };
  if (err.options.details?.length) body.details = err.options.details;
  if (entry.status >= 500) body.request_id = requestId;
  return body;
}
