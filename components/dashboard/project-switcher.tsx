"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createProjectAction, switchProjectAction } from "@/app/dashboard/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { CheckIcon, ChevronsUpDownIcon, PlusIcon, Spinner } from "@/components/ui/icons";
import { Menu, MenuItem, MenuLabel, MenuSeparator } from "@/components/ui/menu";
import { useAction } from "@/components/ui/use-action";
import type { ProjectView } from "@/lib/dashboard/views";

function groupByOrg(projects: ProjectView[]): { orgId: string; orgName: string; projects: ProjectView[] }[] {
  const groups = new Map<string, { orgId: string; orgName: string; projects: ProjectView[] }>();
  for (const project of projects) {
    const group = groups.get(project.orgId) ?? { orgId: project.orgId, orgName: project.orgName, projects: [] };
    group.projects.push(project);
    groups.set(project.orgId, group);
  }
  return [...groups.values()];
}

export function ProjectSwitcher({ current, projects }: { current: ProjectView; projects: ProjectView[] }) {
  const router = useRouter();
  const [isCreating, setIsCreating] = useState(false);
  const switchProject = useAction(switchProjectAction, { onOk: () => router.refresh() });
  const groups = groupByOrg(projects);
  const switchFailure = switchProject.failure?.error;

  return (
    <>
      <Menu
        className="w-64"
        trigger={(props) => (
          <button
            type="button"
            {...props}
            aria-label={`Project: ${current.name}. Switch project`}
            data-testid="project-switcher"
            className="flex w-full items-center gap-2.5 rounded-lg border border-zinc-200 bg-white px-2.5 py-2 text-left shadow-xs hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-indigo-50 text-xs font-semibold text-indigo-700 ring-1 ring-indigo-600/15 ring-inset">
              {current.name.charAt(0).toUpperCase()}
            </span>
            <span className="min-w-0 flex-1">
              <span className="block truncate text-[11px] leading-4 text-zinc-500" title={current.orgName}>
                {current.orgName}
              </span>
              <span className="block truncate text-[13px] leading-4 font-medium text-zinc-900" title={current.name}>
                {current.name}
              </span>
            </span>
            {switchProject.isPending ? <Spinner className="size-3.5 shrink-0 text-zinc-400" /> : <ChevronsUpDownIcon className="size-3.5 shrink-0 text-zinc-400" />}
          </button>
        )}
      >
        {(close) => (
          <>
            <div className="max-h-80 overflow-y-auto">
              {groups.map((group) => (
                <div key={group.orgId}>
                  <MenuLabel>{group.orgName}</MenuLabel>
                  {group.projects.map((project) => (
                    <MenuItem
                      key={project.id}
                      isActive={project.id === current.id}
                      onSelect={() => {
                        close();
                        if (project.id !== current.id) switchProject.run(project.id);
                      }}
                    >
                      <span className="min-w-0 flex-1 truncate" title={project.name}>
                        {project.name}
                      </span>
                      {project.id === current.id ? <CheckIcon className="size-3.5 text-indigo-600" /> : null}
                    </MenuItem>
                  ))}
                </div>
              ))}
            </div>
            <MenuSeparator />
            <MenuItem
              onSelect={() => {
                close();
                setIsCreating(true);
              }}
            >
              <PlusIcon className="size-3.5 text-zinc-400" />
              New project
            </MenuItem>
          </>
        )}
      </Menu>
      {switchFailure ? (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {switchFailure}
        </p>
      ) : null}
      <CreateProjectDialog open={isCreating} onOpenChange={setIsCreating} groups={groups} defaultOrgId={current.orgId} />
    </>
  );
}

function CreateProjectDialog({
  open,
  onOpenChange,
  groups,
  defaultOrgId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  groups: { orgId: string; orgName: string }[];
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
          {groups.length > 1 ? (
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
                {groups.map((group) => (
                  <option key={group.orgId} value={group.orgId}>
                    {group.orgName}
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
