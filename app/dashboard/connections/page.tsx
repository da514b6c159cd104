import type { Metadata } from "next";
import { ConnectionFormDialog } from "@/components/connections/connection-form-dialog";
import { ConnectionsTable } from "@/components/connections/connections-table";
import { DatabaseIcon } from "@/components/ui/icons";
import { EmptyState, PageHeader } from "@/components/ui/page-header";
import { currentProject } from "@/lib/auth/session";
import { listAllConnections } from "@/lib/dashboard/queries";
import { toConnectionView } from "@/lib/dashboard/views";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage() {
  const { project, scope } = await currentProject();
  const connections = (await listAllConnections(scope)).map(toConnectionView);
  const isFirst = connections.length === 0;
  return (
    <>
      <PageHeader
        title="Connections"
        description="S3-compatible buckets this project can read from and write to: AWS S3, Cloudflare R2, Google Cloud Storage, Supabase, DigitalOcean Spaces or MinIO."
        actions={isFirst ? undefined : <ConnectionFormDialog mode="create" projectId={project.id} isFirst={false} />}
      />
      {isFirst ? (
        <EmptyState
          icon={<DatabaseIcon className="size-5" />}
          title="No connections yet"
          action={<ConnectionFormDialog mode="create" projectId={project.id} isFirst />}
        >
          A connection stores credentials for one of your buckets, so tasks can ingest from <code className="font-mono text-xs">s3://</code> URLs and
          deliver their outputs to your own storage. Secrets are encrypted at rest and never shown again in full.
        </EmptyState>
      ) : (
        <ConnectionsTable projectId={project.id} connections={connections} />
      )}
    </>
  );
}
