// Runs once when the server starts: the peer-address stamp, migrate, first organisation and key, the embedded engine.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, before any request: the socket's address is stamped on each request (a client's X-Forwarded-For is not).
  const { installPeerAddressHeader } = await import("@/lib/net/client-address");
  installPeerAddressHeader();
  const [{ startServer }, { workflows }, { connectInngestSender }] = await Promise.all([
    import("@/lib/server-start"),
    import("@/inngest/functions"),
    import("@/inngest/client"),
  ]);
  await startServer({ workflows, connectInngest: connectInngestSender, role: "server" });
}
