// Runs once when the server starts: migrate, first organisation and key, the embedded engine.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ startServer }, { workflows }, { connectInngestSender }] = await Promise.all([
    import("@/lib/server-start"),
    import("@/inngest/functions"),
    import("@/inngest/client"),
  ]);
  await startServer({ workflows, connectInngest: connectInngestSender, role: "server" });
}
