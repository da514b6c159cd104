"use client";

import { useRouter } from "next/navigation";
import { signOutAction, switchProjectAction } from "@/lib/dashboard/actions/workspace";
import { showOrganizationAction } from "@/lib/dashboard/actions/team";
import { CreateProjectButton } from "@/components/dashboard/project-switcher";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { FolderIcon, UsersIcon } from "@/components/ui/icons";
import { EmptyState } from "@/components/ui/page-header";
import { useAction } from "@/components/ui/use-action";
import type { OrgView, WorkspaceGap } from "@/lib/teams/views";

/** What the dashboard shows instead of a project: why there is none, and the one thing to do about it. */
export function WorkspaceEmptyState({ gap }: { gap: WorkspaceGap }) {
  if (gap.kind === "no-organization") {
    return (
      <EmptyState
        icon={<UsersIcon className="size-5" />}
        title="You belong to no organisation"
        action={
          <form action={signOutAction}>
            <Button type="submit">Sign out</Button>
          </form>
        }
      >
        You left your last organisation or were removed from it, so there are no projects to show. Your account ({gap.email}) still exists: ask an owner to
        invite this address and open the link in their invitation.
      </EmptyState>
    );
  }
  if (gap.kind === "stale-organization") return <StaleOrganization orgs={gap.orgs} />;
  const isOwner = gap.org.role === "owner";
  return (
    <EmptyState
      icon={<FolderIcon className="size-5" />}
      title={`${gap.org.name} has no projects yet`}
      action={<CreateProjectButton orgs={gap.orgs} orgId={gap.org.id} />}
    >
      Projects hold API keys, connections and media. Create one to start; {isOwner ? "you can invite people to it from Team." : "the organisation's other members will see it too."}
    </EmptyState>
  );
}

function StaleOrganization({ orgs }: { orgs: OrgView[] }) {
  const router = useRouter();
  const refresh = () => router.refresh();
  const switchProject = useAction(switchProjectAction, { onOk: refresh });
  const showOrg = useAction(showOrganizationAction, { onOk: refresh });
  const next = orgs[0];
  const firstProject = next?.projects[0];
  return (
    <EmptyState
      icon={<UsersIcon className="size-5" />}
      title="You are no longer a member of that organisation"
      action={
        next ? (
          <div className="space-y-3">
            <FormError message={switchProject.failure?.error ?? showOrg.failure?.error} />
            <Button
              variant="primary"
              isLoading={switchProject.isPending || showOrg.isPending}
              onClick={() => (firstProject ? switchProject.run(firstProject.id) : showOrg.run({ orgId: next.id }))}
            >
              Open {next.name}
            </Button>
          </div>
        ) : undefined
      }
    >
      The organisation you were looking at was left, or you were removed from it. Its projects are no longer shown to you.
    </EmptyState>
  );
}
