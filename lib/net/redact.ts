// Credentials in URLs (`https://user:pass@host/…`) never reach an error message, a log line we write, or a stored
// task error: one helper for every place that turns a failure into text.

// scheme://userinfo@ — greedy up to the authority's last `@`, as URL parsers read it.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi;

/** `https://user:pass@host/x` → `https://***@host/x`, anywhere in a text. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, "$1***@");
}

/** The same for an error, in place (message and stack), so whoever stores or logs it later gets the redacted text. */
export function redactError<T>(error: T): T {
  if (error instanceof Error) {
    const message = redactCredentials(error.message);
    if (message !== error.message) {
      error.message = message;
      if (error.stack) error.stack = redactCredentials(error.stack);
    }
  }
  return error;
}
