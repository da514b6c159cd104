// The default addressing style of a connection's endpoint: the server's when a caller leaves it out, the form's
// suggestion as an endpoint is typed. No server imports, so client components may use it too.

/** Path-style addressing works everywhere except on new AWS buckets, which want virtual hosts. */
export function defaultForcePathStyle(endpoint: string): boolean {
  try {
    return !new URL(endpoint.trim()).hostname.endsWith(".amazonaws.com");
  } catch {
    return true;
  }
}
