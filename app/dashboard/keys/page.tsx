import type { Metadata } from "next";
import { CreateKeyDialog } from "@/components/keys/create-key-dialog";
import { KeysTable } from "@/components/keys/keys-table";
import { KeyIcon } from "@/components/ui/icons";
import { EmptyState, PageHeader } from "@/components/ui/page-header";
import { currentProject } from "@/lib/auth/session";
import { toKeyView } from "@/lib/dashboard/views";
import { listKeys } from "@/lib/keys/keys";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const { project, scope } = await currentProject();
  const keys = (await listKeys(scope, { includeRevoked: true })).map(toKeyView);
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys authenticate requests to the API as <span className="font-medium text-zinc-700">{project.name}</span>. Send one as{" "}
            <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs text-zinc-700">Authorization: Bearer &lt;key&gt;</code>.
          </>
        }
        actions={keys.length > 0 ? <CreateKeyDialog projectId={project.id} /> : undefined}
      />
      {keys.length === 0 ? (
        <EmptyState icon={<KeyIcon className="size-5" />} title="No API keys yet" action={<CreateKeyDialog projectId={project.id} />}>
          Create a key to call the API from your app, scripts or the CLI. Each key works for this project only, and its secret is shown once.
        </EmptyState>
      ) : (
        <KeysTable projectId={project.id} keys={keys} />
      )}
    </>
  );
}
