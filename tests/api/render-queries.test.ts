// Rendering a page of jobs, tasks or runs reads its rows in one batch: the number of queries does not grow with the page.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { newId } from "@/lib/ids";
import { forgetCachedKeys } from "@/lib/keys/key-cache";
import { call, createTestProject, data } from "@/tests/helpers/api";
import { countQueries } from "@/tests/helpers/query-count";

const PIPELINE = ["probe", "import", "video", "export"] as const;

/** `count` succeeded jobs shaped like createJob's: probe → import (a source file) → encode (an output file) → export. */
async function seedJobs(projectId: string, count: number) {
  const prisma = await db();
  const base = Date.now() - count * 1000;
  const media: Prisma.MediaCreateManyInput[] = [];
  const files: Prisma.FileCreateManyInput[] = [];
  const jobs: Prisma.JobCreateManyInput[] = [];
  const tasks: Prisma.TaskCreateManyInput[] = [];
  for (let i = 0; i < count; i++) {
    const jobId = newId("job");
    const mediaId = newId("med");
    const source = newId("file");
    const output = newId("file");
    const createdAt = new Date(base + i * 1000);
    media.push({ id: mediaId, projectId });
    files.push(
      { id: source, projectId, mediaId, filename: `in-${i}.mp4`, path: `jobs/${i}/in.mp4`, status: "ready" as const, original: true },
      { id: output, projectId, mediaId, filename: `out-${i}.mp4`, path: `jobs/${i}/out.mp4`, status: "ready" as const },
    );
    jobs.push({ id: jobId, projectId, kind: "video", input: `https://example.com/${i}.mp4`, status: "succeeded" as const, createdAt });
    PIPELINE.forEach((kind, position) =>
      tasks.push({
        id: newId("task"),
        projectId,
        jobId,
        kind,
        position,
        status: "succeeded" as const,
        input: { source: { type: "url", url: `https://example.com/${i}.mp4` } },
        output: {},
        inputFileId: kind === "video" || kind === "export" ? source : null,
        outputFileId: kind === "import" ? source : kind === "video" ? output : null,
        createdAt,
      }),
    );
  }
  await prisma.media.createMany({ data: media });
  await prisma.file.createMany({ data: files });
  await prisma.job.createMany({ data: jobs });
  await prisma.task.createMany({ data: tasks });
}

describe("GET /api/jobs", () => {
  it("renders a page of 100 jobs with their tasks and output URLs in a fixed number of queries", async () => {
    const p = await createTestProject("latest");
    await seedJobs(p.projectId, 100);
    await call("GET", "/api/jobs?limit=1", { key: p.key }); // warms the route module and the key

    // Both counts include the key lookup, however long the first takes (a verified key is remembered for 2 s).
    forgetCachedKeys();
    const { result, queries, operations } = await countQueries(() => call("GET", "/api/jobs?limit=100", { key: p.key }));
    expect(result.status).toBe(200);
    const jobs = data(result) as { output: string; tasks: { output: unknown; input: unknown }[] }[];
    expect(jobs).toHaveLength(100);
    expect(jobs.every((job) => job.output.startsWith("http://localhost:3000/f/") && job.output.endsWith("/out.mp4"))).toBe(true);
    expect(jobs.every((job) => job.tasks.length === 4)).toBe(true);
    // Authentication, the page itself and one batch of files and the project: before batching this was 300 and more.
    console.info(`GET /api/jobs?limit=100: ${queries} queries (${operations.join(", ")})`);
    expect(queries).toBeLessThanOrEqual(10);

    forgetCachedKeys();
    const one = await countQueries(() => call("GET", "/api/jobs?limit=10", { key: p.key }));
    expect(one.queries).toBe(queries);
  });
});
