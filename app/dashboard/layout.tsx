import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ProjectSwitcher } from "@/components/dashboard/project-switcher";
import { Sidebar } from "@/components/dashboard/sidebar";
import { SidebarNav } from "@/components/dashboard/sidebar-nav";
import { UserMenu } from "@/components/dashboard/user-menu";
import { Providers } from "@/components/providers";
import { Logo } from "@/components/ui/icons";
import { toProjectView } from "@/lib/dashboard/views";
import { toOrgView } from "@/lib/teams/views";
import { currentWorkspace } from "@/lib/teams/workspace";

export const metadata: Metadata = { title: { default: "Dashboard", template: "%s · Mediabit" } };

// Every page below also calls currentProject() or currentWorkspace() itself: layouts are not re-run on every
// navigation, so the layout's check alone would not protect them. The shell also renders for a person with no
// project (or no organisation), so the pages can explain that state.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const { user, orgs, org, project } = await currentWorkspace();
  return (
    <Providers>
      <div className="min-h-screen md:flex">
        <Sidebar
          brand={
            <>
              <Logo className="size-6" />
              <span className="text-[15px] font-semibold tracking-tight text-zinc-900">Mediabit</span>
            </>
          }
        >
          <div className="px-3 pb-3">
            <ProjectSwitcher orgs={orgs.map(toOrgView)} currentOrgId={org?.id ?? null} current={project ? toProjectView(project) : null} />
          </div>
          <SidebarNav />
          <div className="border-t border-zinc-100 p-3 md:mt-auto">
            <UserMenu email={user.email} name={user.name} />
          </div>
        </Sidebar>
        {/* Focusable so a dialog whose opener is gone can hand focus back to the page rather than to <body>. */}
        <main id="main-content" tabIndex={-1} className="min-w-0 flex-1 focus:outline-none md:pl-60">
          <div className="mx-auto max-w-6xl px-4 py-6 sm:px-8 sm:py-8">{children}</div>
        </main>
      </div>
    </Providers>
  );
}
