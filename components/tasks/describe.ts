// Short words for a task's input and output, from the API's task object.

/** The input's name: its file name, the URL it came from, or its id. */
export function describeInput(input: Record<string, unknown> | null): string {
  if (!input) return "No input";
  const text = (key: string) => (typeof input[key] === "string" && input[key] ? (input[key] as string) : null);
  if (input.object === "task_output") return "The parent task's output";
  // Stored files are named after their ids: the URL a file came from names it better.
  return lastPart(text("source_url")) ?? text("filename") ?? lastPart(text("url")) ?? text("id") ?? "Input";
}

function lastPart(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.pathname.split("/").filter(Boolean).at(-1) ?? "") || parsed.host;
  } catch {
    return url;
  }
}

export function kindLabel(kind: string): string {
  return kind.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}
