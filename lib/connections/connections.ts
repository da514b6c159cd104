// Connections: saved credentials for the user's S3-compatible buckets (connections-and-storage.md).
import { AppError, notFound } from "@/lib/api/errors";
import { paginate, type TListQuery, type PageMode } from "@/lib/api/pagination";
import { defaultForcePathStyle } from "@/lib/connections/path-style";
import type { TCreateConnection, TUpdateConnection } from "@/lib/connections/schemas";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import { Prisma, type Connection } from "@/lib/db/generated/client";
import { canonicalId, newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import type { S3Settings } from "@/lib/storage/s3-client";
import { verifyS3Access, type VerifyResult } from "@/lib/storage/verify";

type Tx = Prisma.TransactionClient;

export function connectionSettings(connection: Connection): S3Settings {
  return {
    endpoint: connection.endpoint,
    region: connection.region,
    accessKeyId: connection.accessKeyId,
    secretAccessKey: decryptSecret(connection.secretEncrypted),
    forcePathStyle: connection.forcePathStyle,
  };
}

function nameFromEndpoint(endpoint: string): string {
  return new URL(endpoint).hostname;
}

/** Serialises default changes per project: two concurrent "make me default" calls cannot both win. */
async function lockProject(tx: Tx, projectId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`;
}

async function assertVerified(settings: S3Settings, bucket: string | null | undefined): Promise<void> {
  const result = await verifyS3Access(settings, bucket);
  if (!result.ok) {
    throw new AppError("connection_verification_failed", `The S3 endpoint refused these settings: ${result.message}. Nothing was saved.`);
  }
}

function isNameTaken(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function createConnection(scope: ProjectScope, input: TCreateConnection): Promise<Connection> {
  const forcePathStyle = input.force_path_style ?? defaultForcePathStyle(input.endpoint);
  if (input.verify) {
    await assertVerified(
      { endpoint: input.endpoint, region: input.region, accessKeyId: input.access_key_id, secretAccessKey: input.secret_access_key, forcePathStyle },
      input.bucket,
    );
  }
  const prisma = await db();
  const explicitName = input.name;
  const baseName = explicitName ?? nameFromEndpoint(input.endpoint);
  try {
    return await prisma.$transaction(async (tx) => {
      await lockProject(tx, scope.projectId);
      const hasDefault = (await tx.connection.count({ where: { projectId: scope.projectId, isDefault: true } })) > 0;
      // The first connection becomes the default unless the caller says otherwise.
      const isDefault = input.is_default ?? !hasDefault;
      if (isDefault) await tx.connection.updateMany({ where: { projectId: scope.projectId, isDefault: true }, data: { isDefault: false } });
      let name = baseName;
      if (!explicitName) {
        const taken = new Set((await tx.connection.findMany({ where: { projectId: scope.projectId, name: { startsWith: baseName } }, select: { name: true } })).map((c) => c.name));
        for (let n = 2; taken.has(name); n++) name = `${baseName} (${n})`;
      }
      return tx.connection.create({
        data: {
          id: newId("con"),
          projectId: scope.projectId,
          name,
          kind: input.kind,
          endpoint: input.endpoint,
          region: input.region,
          bucket: input.bucket ?? null,
          forcePathStyle,
          accessKeyId: input.access_key_id,
          secretEncrypted: encryptSecret(input.secret_access_key),
          secretLast4: input.secret_access_key.slice(-4),
          isDefault,
          verifiedAt: input.verify ? new Date() : null,
        },
      });
    });
  } catch (error) {
    if (isNameTaken(error)) throw new AppError("conflict", `A connection named '${baseName}' already exists in this project. Choose another name.`);
    throw error;
  }
}

export async function listConnections(scope: ProjectScope, query: TListQuery, mode: PageMode) {
  const prisma = await db();
  const where = { projectId: scope.projectId };
  return paginate({
    query,
    mode,
    count: () => prisma.connection.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) => prisma.connection.findMany({ where: { ...where, ...cursor }, orderBy, skip, take }),
    findCursor: (id) => prisma.connection.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
}

export async function getConnectionOrThrow(scope: ProjectScope, id: string): Promise<Connection> {
  const prisma = await db();
  const connection = await prisma.connection.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId } });
  if (!connection) throw notFound("connection_not_found", "connection", id);
  return connection;
}

export async function updateConnection(scope: ProjectScope, id: string, input: TUpdateConnection): Promise<Connection> {
  const current = await getConnectionOrThrow(scope, id);
  const endpoint = input.endpoint ?? current.endpoint;
  const next = {
    endpoint,
    region: input.region ?? current.region,
    accessKeyId: input.access_key_id ?? current.accessKeyId,
    secretAccessKey: input.secret_access_key ?? decryptSecret(current.secretEncrypted),
    forcePathStyle: input.force_path_style ?? (input.endpoint ? defaultForcePathStyle(endpoint) : current.forcePathStyle),
  };
  const bucket = input.bucket === undefined ? current.bucket : input.bucket;
  if (input.verify) await assertVerified(next, bucket);
  // Anything the test exercised makes its verdict stale, the bucket and URL style included.
  const settingsChanged =
    next.endpoint !== current.endpoint ||
    next.region !== current.region ||
    next.accessKeyId !== current.accessKeyId ||
    input.secret_access_key !== undefined ||
    bucket !== current.bucket ||
    next.forcePathStyle !== current.forcePathStyle;
  const prisma = await db();
  try {
    return await prisma.$transaction(async (tx) => {
      await lockProject(tx, scope.projectId);
      if (input.is_default === true) {
        await tx.connection.updateMany({ where: { projectId: scope.projectId, isDefault: true, id: { not: current.id } }, data: { isDefault: false } });
      }
      return tx.connection.update({
        where: { id: current.id },
        data: {
          name: input.name,
          kind: input.kind,
          endpoint: next.endpoint,
          region: next.region,
          bucket,
          forcePathStyle: next.forcePathStyle,
          accessKeyId: next.accessKeyId,
          ...(input.secret_access_key !== undefined
            ? { secretEncrypted: encryptSecret(input.secret_access_key), secretLast4: input.secret_access_key.slice(-4) }
            : {}),
          isDefault: input.is_default,
          verifiedAt: input.verify ? new Date() : settingsChanged ? null : undefined,
        },
      });
    });
  } catch (error) {
    if (isNameTaken(error)) throw new AppError("conflict", `A connection named '${input.name}' already exists in this project. Choose another name.`);
    throw error;
  }
}

/** Deleting the default hands the role to the newest remaining connection. */
export async function deleteConnection(scope: ProjectScope, id: string): Promise<Connection> {
  const current = await getConnectionOrThrow(scope, id);
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    await lockProject(tx, scope.projectId);
    await tx.connection.delete({ where: { id: current.id } });
    if (current.isDefault) {
      const heir = await tx.connection.findFirst({ where: { projectId: scope.projectId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
      if (heir) await tx.connection.update({ where: { id: heir.id }, data: { isDefault: true } });
    }
    return current;
  });
}

export async function testConnection(scope: ProjectScope, id: string, options: { bucket?: string } = {}): Promise<VerifyResult> {
  const connection = await getConnectionOrThrow(scope, id);
  const bucket = options.bucket ?? connection.bucket;
  const result = await verifyS3Access(connectionSettings(connection), bucket);
  // The mark speaks for the saved settings: a test of another bucket neither earns nor loses it.
  if (bucket === connection.bucket) {
    const prisma = await db();
    await prisma.connection.update({ where: { id: connection.id }, data: { verifiedAt: result.ok ? new Date() : null } });
  }
  return result;
}

/**
 * The connection a task uses for an `s3://` URL: the one named, else the project's default, else a
 * clear 400 (connections-and-storage.md §3.4).
 */
export async function resolveConnection(scope: ProjectScope, id?: string | null): Promise<Connection> {
  if (id) return getConnectionOrThrow(scope, id);
  const prisma = await db();
  const fallback = await prisma.connection.findFirst({ where: { projectId: scope.projectId, isDefault: true } });
  if (!fallback) {
    throw new AppError("connection_required", "s3:// URLs need a connection: pass `connection_id`, or make one of your connections the default.");
  }
  return fallback;
}
