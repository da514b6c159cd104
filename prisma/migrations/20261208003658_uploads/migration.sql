-- CreateEnum
CREATE TYPE "upload_status" AS ENUM ('waiting', 'uploading', 'completed', 'expired', 'failed');

-- AlterTable
ALTER TABLE "files" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "uploads" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "profile" TEXT,
    "api_key_id" TEXT,
    "created_by" TEXT,
    "token_hash" TEXT,
    "status" "upload_status" NOT NULL DEFAULT 'waiting',
    "url_expires_at" TIMESTAMP(3) NOT NULL,
    "last_byte_at" TIMESTAMP(3),
    "folder" TEXT,
    "filename" TEXT,
    "chunk_key" TEXT,
    "total_bytes" BIGINT,
    "bytes_received" BIGINT NOT NULL DEFAULT 0,
    "ranges" JSONB NOT NULL DEFAULT '[]',
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "media_expires_in" INTEGER,
    "workflow_id" TEXT,
    "tus_id" TEXT,
    "storage_key" TEXT,
    "s3_upload_id" TEXT,
    "file_id" TEXT,
    "media_id" TEXT,
    "error" TEXT,
    "completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "uploads_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "uploads_token_hash_key" ON "uploads"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "uploads_chunk_key_key" ON "uploads"("chunk_key");

-- CreateIndex
CREATE UNIQUE INDEX "uploads_tus_id_key" ON "uploads"("tus_id");

-- CreateIndex
CREATE INDEX "uploads_project_id_created_at_idx" ON "uploads"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "uploads_status_url_expires_at_idx" ON "uploads"("status", "url_expires_at");

-- AddForeignKey
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;