// Export: a stored file (or a package: HLS master with its segments) streamed to s3://bucket/key
// through the user's connection, multipart for large objects.
import path from "node:path";
import { AppError } from "@/lib/api/errors";
import { connectionSettings } from "@/lib/connections/connections";
import { db } from "@/lib/db/client";
import { fileKeyPrefix } from "@/lib/storage/object-key";
import { createConnectionStore, getStore } from "@/lib/storage/store";
import type { TDestination } from "@/lib/tasks/schemas";

export async function exportFile(args: { projectId: string; fileId: string; destination: TDestination; signal: AbortSignal }): Promise<string> {
  const prisma = await db();
  const file = await prisma.file.findUniqueOrThrow({ where: { id: args.fileId } });
  if (file.status !== "ready" || !file.storageKey) throw new AppError("conflict", `File ${file.id} is not ready to export.`);
  const connection = await prisma.connection.findFirst({ where: { id: args.destination.connectionId ?? "", projectId: args.projectId } });
  if (!connection) throw new AppError("connection_not_found", `The connection for ${args.destination.url} no longer exists.`);
  const target = createConnectionStore(connectionSettings(connection), args.destination.bucket);
  const store = getStore();
  // A key ending in `/` names a folder: the file keeps its own name inside it.
  const mainKey = args.destination.key.endsWith("/") ? `${args.destination.key}${file.filename}` : args.destination.key;
  try {
    const copy = async (sourceKey: string, targetKey: string, contentType?: string) => {
      const object = await store.get(sourceKey);
      await target.put(targetKey, object.body, { contentType: contentType ?? object.contentType, size: object.size, signal: args.signal });
    };
    if (file.packageDir) {
      // Segments and variant playlists keep their relative places next to the exported playlist.
      const prefix = fileKeyPrefix({ projectId: file.projectId, fileId: file.id });
      const mainRelative = file.storageKey.slice(prefix.length);
      const targetDir = path.posix.dirname(mainKey);
      for await (const key of store.list(prefix)) {
        const relative = key.slice(prefix.length);
        if (relative === mainRelative) continue;
        await copy(key, targetDir === "." ? relative : `${targetDir}/${relative}`);
      }
    }
    await copy(file.storageKey, mainKey, file.type?.split(";")[0]);
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status && status >= 400 && status < 500) {
      throw new AppError("invalid_input", `The destination bucket refused the upload to s3://${args.destination.bucket}/${mainKey}: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    target.close();
  }
  return `s3://${args.destination.bucket}/${mainKey}`;
}
