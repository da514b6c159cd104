"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createConnectionAction, updateConnectionAction } from "@/lib/dashboard/actions/connections";
import { Button } from "@/components/ui/button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { Checkbox, Field, FormError } from "@/components/ui/field";
import { PencilIcon, PlusIcon } from "@/components/ui/icons";
import { useAction } from "@/components/ui/use-action";
import { defaultForcePathStyle } from "@/lib/connections/path-style";
import type { ConnectionFormValues, ConnectionView } from "@/lib/dashboard/views";

const FIELDS = ["name", "endpoint", "region", "access_key_id", "secret_access_key", "bucket", "force_path_style", "is_default"] as const;

type Props = { projectId: string } & ({ mode: "create"; isFirst: boolean } | { mode: "edit"; connection: ConnectionView });

export function ConnectionFormDialog(props: Props) {
  const router = useRouter();
  const editing = props.mode === "edit" ? props.connection : undefined;
  const [isOpen, setIsOpen] = useState(false);
  const [pathStyle, setPathStyle] = useState(editing?.forcePathStyle ?? true);
  const [isPathStyleTouched, setIsPathStyleTouched] = useState(Boolean(editing));
  const onOk = () => {
    setIsOpen(false);
    router.refresh();
  };
  const create = useAction(createConnectionAction, { onOk });
  const update = useAction(updateConnectionAction, { onOk });
  const action = editing ? update : create;
  const fieldErrors = action.failure?.fieldErrors ?? {};

  function onOpenChange(open: boolean) {
    setIsOpen(open);
    if (!open) {
      create.reset();
      update.reset();
      setPathStyle(editing?.forcePathStyle ?? true);
      setIsPathStyleTouched(Boolean(editing));
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const values: ConnectionFormValues = {
      name: text("name"),
      endpoint: text("endpoint"),
      region: text("region"),
      access_key_id: text("access_key_id"),
      secret_access_key: text("secret_access_key"),
      bucket: text("bucket"),
      force_path_style: pathStyle,
      is_default: form.get("is_default") === "on",
    };
    if (editing) update.run({ projectId: props.projectId, connectionId: editing.id, values });
    else create.run({ projectId: props.projectId, values });
  }

  const trigger = editing ? (
    <Button size="sm" variant="ghost" aria-label={`Edit ${editing.name}`} title="Edit">
      <PencilIcon className="size-3.5" />
    </Button>
  ) : (
    <Button variant="primary">
      <PlusIcon className="size-4" />
      Add connection
    </Button>
  );

  return (
    <Dialog
      open={isOpen}
      onOpenChange={onOpenChange}
      size="lg"
      trigger={trigger}
      title={editing ? `Edit ${editing.name}` : "Add connection"}
      description={
        editing
          ? "Changing the endpoint or credentials clears the verified mark until the next successful test."
          : "Credentials for an S3-compatible endpoint. Saving checks only that this server may reach the address: use “Test” afterwards to list the bucket."
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <DialogBody>
          <FormError message={action.formError(FIELDS)} />
          <Field
            label="Name"
            name="name"
            labelNote={editing ? undefined : "optional"}
            defaultValue={editing?.name}
            placeholder={editing ? undefined : "Defaults to the endpoint's host name"}
            maxLength={100}
            autoFocus
            error={fieldErrors.name}
          />
          <Field
            label="Endpoint"
            name="endpoint"
            type="url"
            defaultValue={editing?.endpoint}
            placeholder="https://s3.us-east-1.amazonaws.com"
            inputClassName="font-mono"
            required
            spellCheck={false}
            onChange={(event) => {
              if (!isPathStyleTouched) setPathStyle(defaultForcePathStyle(event.target.value));
            }}
            error={fieldErrors.endpoint}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Region"
              name="region"
              defaultValue={editing?.region ?? "auto"}
              hint="“auto” works for R2 and most S3-compatible servers."
              spellCheck={false}
              error={fieldErrors.region}
            />
            <Field
              label="Bucket"
              name="bucket"
              labelNote="optional"
              defaultValue={editing?.bucket ?? ""}
              placeholder="my-media"
              hint="Without one, tests list the endpoint's buckets."
              inputClassName="font-mono"
              spellCheck={false}
              error={fieldErrors.bucket}
            />
            <Field
              label="Access key ID"
              name="access_key_id"
              defaultValue={editing?.accessKeyId}
              autoComplete="off"
              inputClassName="font-mono"
              spellCheck={false}
              required
              error={fieldErrors.access_key_id}
            />
            <Field
              label="Secret access key"
              name="secret_access_key"
              type="password"
              autoComplete="new-password"
              placeholder={editing ? `Leave blank to keep ${editing.maskedSecret}` : undefined}
              required={!editing}
              hint="Encrypted at rest; only its last four characters are ever shown."
              error={fieldErrors.secret_access_key}
            />
          </div>
          <div className="space-y-3 rounded-lg border border-zinc-200 bg-zinc-50/60 p-3">
            <Checkbox
              label="Force path-style URLs"
              name="force_path_style"
              checked={pathStyle}
              onChange={(event) => {
                setIsPathStyleTouched(true);
                setPathStyle(event.target.checked);
              }}
              hint="endpoint/bucket/key instead of bucket.endpoint/key. Needed by MinIO and most S3-compatible servers; AWS prefers it off."
            />
            {editing?.isDefault ? (
              <Checkbox label="Default connection" name="is_default" checked disabled hint="To change the default, make another connection the default." />
            ) : props.mode === "create" && props.isFirst ? (
              <Checkbox label="Make this the default connection" name="is_default" checked disabled hint="The first connection always becomes the default." />
            ) : (
              <Checkbox
                label="Make this the default connection"
                name="is_default"
                defaultChecked={false}
                hint="Tasks use the default connection for s3:// URLs that name none."
              />
            )}
            {fieldErrors.force_path_style || fieldErrors.is_default ? (
              <p className="text-[13px] text-red-600">{fieldErrors.force_path_style ?? fieldErrors.is_default}</p>
            ) : null}
          </div>
        </DialogBody>
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={action.isPending}>
            {editing ? "Save changes" : "Add connection"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
