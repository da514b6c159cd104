// The API calls the empty states show, with this server's origin.
export function curlFor(origin: string, path: "tasks" | "runs" | "jobs"): string {
  const body = {
    tasks: `{"kind": "video", "url": "https://example.com/clip.mp4",\n       "options": {"width": 1280, "format": "mp4"}}`,
    runs: `{"input": "https://example.com/clip.mp4",\n       "tasks": [{"kind": "ingest", "next": [{"kind": "image", "options": {"width": 640}}]}]}`,
    jobs: `{"kind": "video", "input": "https://example.com/clip.mp4",\n       "options": {"width": 1280}}`,
  }[path];
  return [`curl -X POST ${origin}/api/${path} \\`, `  -H "Authorization: Bearer YOUR_API_KEY" \\`, `  -H "Content-Type: application/json" \\`, `  -d '${body}'`].join("\n");
}
