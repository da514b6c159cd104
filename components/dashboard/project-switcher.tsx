"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createProjectAction, switchProjectAction } from "@/lib/dashboard/actions/workspace";
import { showOrganizationAction } from "@/lib/dashboard/actions/team";
import { Button } from "@/components/ui/button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { CheckIcon, ChevronsUpDownIcon, PlusIcon, Spinner } from "@/components/ui/icons";
import { Menu, MenuItem, MenuLabel, MenuSeparator } from "@/components/ui/menu";
import { useAction } from "@/components/ui/use-action";
import type { ProjectView } from "@/lib/dashboard/views";
import type { OrgView } from "@/lib/teams/views";

type Props = {
  /** Every organisation of the person, with its projects (possibly none). */
  orgs: OrgView[];
  currentOrgId: string | null;
  current: ProjectView | null;
};

/** Projects grouped by organisation; an organisation without projects can be opened to create one. */
export function ProjectSwitcher({ orgs, currentOrgId, current }: Props) {
  const router = useRouter();
  const [isCreating, setIsCreating] = useState(false);
  const switchProject = useAction(switchProjectAction, { onOk: () => router.refresh() });
  const showOrg = useAction(showOrganizationAction, {
    onOk: () => {
      router.push("/dashboard");
      router.refresh();
    },
  });
  const currentOrg = orgs.find((o) => o.id === currentOrgId) ?? null;
  const failure = switchProject.failure?.error ?? showOrg.failure?.error;
  const isPending = switchProject.isPending || showOrg.isPending;
  const title = current?.name ?? (currentOrg ? "No project yet" : "No organisation");

  return (
    <>
      <Menu
        className="w-64"
        trigger={(props) => (
          <button
            type="button"
            {...props}
            aria-label={`Project: ${title}. Switch project`}
            data-testid="project-switcher"
            className="flex w-full items-center gap-2.5 rounded-lg border border-zinc-200 bg-white px-2.5 py-2 text-left shadow-xs hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-indigo-50 text-xs font-semibold text-indigo-700 ring-1 ring-indigo-600/15 ring-inset">
              {(current?.name ?? currentOrg?.name ?? "?").charAt(0).toUpperCase()}
            </span>
            <span className="min-w-0 flex-1">
              <span className="block truncate text-[11px] leading-4 text-zinc-500" title={currentOrg?.name} data-testid="current-org-name">
                {currentOrg?.name ?? "Mediabit"}
              </span>
              <span className={`block truncate text-[13px] leading-4 font-medium ${current ? "text-zinc-900" : "text-zinc-500"}`} title={title}>
                {title}
              </span>
            </span>
            {isPending ? <Spinner className="size-3.5 shrink-0 text-zinc-400" /> : <ChevronsUpDownIcon className="size-3.5 shrink-0 text-zinc-400" />}
          </button>
        )}
      >
        {(close) => (
          <>
            <div className="max-h-80 overflow-y-auto">
              {orgs.length === 0 ? <p className="px-2 py-1.5 text-[13px] text-zinc-500">You belong to no organisation.</p> : null}
              {orgs.map((org) => (
                <div key={org.id} data-testid="switcher-org" data-org-name={org.name}>
                  <MenuLabel>
                    <span className="block truncate" title={org.name}>
                      {org.name}
                    </span>
                  </MenuLabel>
                  {org.projects.map((project) => (
                    <MenuItem
                      key={project.id}
                      isActive={project.id === current?.id}
                      onSelect={() => {
                        close();
                        if (project.id !== current?.id) switchProject.run(project.id);
                      }}
                    >
                      <span className="min-w-0 flex-1 truncate" title={project.name}>
                        {project.name}
                      </span>
                      {project.id === current?.id ? <CheckIcon className="size-3.5 text-indigo-600" /> : null}
                    </MenuItem>
                  ))}
                  {org.projects.length === 0 ? (
                    <MenuItem
                      isActive={org.id === currentOrgId && !current}
                      onSelect={() => {
                        close();
                        showOrg.run({ orgId: org.id });
                      }}
                      className="text-zinc-500"
                    >
                      <span className="min-w-0 flex-1 truncate italic">No projects yet</span>
                      {org.id === currentOrgId && !current ? <CheckIcon className="size-3.5 text-indigo-600" /> : null}
                    </MenuItem>
                  ) : null}
                </div>
              ))}
            </div>
            {currentOrg ? (
              <>
                <MenuSeparator />
                <MenuItem
                  onSelect={() => {
                    close();
                    setIsCreating(true);
                  }}
                >
                  <PlusIcon className="size-3.5 text-zinc-400" />
                  <span className="min-w-0 flex-1 truncate">New project in {currentOrg.name}</span>
                </MenuItem>
              </>
            ) : null}
          </>
        )}
      </Menu>
      {failure ? (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {failure}
        </p>
      ) : null}
      {currentOrg ? <CreateProjectDialog open={isCreating} onOpenChange={setIsCreating} orgs={orgs} defaultOrgId={currentOrg.id} /> : null}
    </>
  );
}

export function CreateProjectDialog({
  open,
  onOpenChange,
  orgs,
  defaultOrgId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  orgs: { id: string; name: string }[];
  defaultOrgId: string;
}) {
  const router = useRouter();
  const create = useAction(createProjectAction, {
    onOk: () => {
      onOpenChange(false);
      router.push("/dashboard");
      router.refresh();
    },
  });
  const failure = create.failure;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.run({ name: String(form.get("name") ?? ""), orgId: String(form.get("orgId") ?? defaultOrgId) });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) create.reset();
        onOpenChange(next);
      }}
      title="New project"
      description="Projects keep API keys, connections and media apart, e.g. one per app or environment."
    >
      <form onSubmit={onSubmit} noValidate>
        <DialogBody>
          <FormError message={create.formError(["name", "orgId"])} />
          <Field label="Project name" name="name" placeholder="e.g. Marketing site" required autoFocus maxLength={100} error={failure?.fieldErrors.name} />
          {orgs.length > 1 ? (
            <div className="space-y-1.5">
              <label htmlFor="project-org" className="text-[13px] font-medium text-zinc-800">
                Organisation
              </label>
              <select
                id="project-org"
                name="orgId"
                defaultValue={defaultOrgId}
                className="block h-9 w-full rounded-md border border-zinc-300 bg-white px-2.5 text-sm shadow-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20 focus:outline-none"
              >
                {orgs.map((org) => (
                  <option key={org.id} value={org.id}>
                    {org.name}
                  </option>
                ))}
              </select>
              {failure?.fieldErrors.orgId ? <p className="text-[13px] text-red-600">{failure.fieldErrors.orgId}</p> : null}
            </div>
          ) : (
            <input type="hidden" name="orgId" value={defaultOrgId} />
          )}
        </DialogBody>
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={create.isPending}>
            Create project
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

/** A "Create a project" button with its dialog, for empty states. */
export function CreateProjectButton({ orgs, orgId, label = "Create a project" }: { orgs: { id: string; name: string }[]; orgId: string; label?: string }) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setIsOpen(true)}>
        <PlusIcon className="size-4" />
        {label}
      </Button>
      <CreateProjectDialog open={isOpen} onOpenChange={setIsOpen} orgs={orgs} defaultOrgId={orgId} />
    </>
  );
}
