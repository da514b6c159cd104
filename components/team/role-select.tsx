import { useId } from "react";

export const ROLE_HINTS = {
  member: "Uses and creates projects, API keys and connections.",
  owner: "Also invites and removes people, changes roles, deletes projects and renames the organisation.",
} as const;

/** Owner or member, with what each may do spelled out under the choice. */
export function RoleSelect({ label, name, defaultValue, error }: { label: string; name: string; defaultValue: "owner" | "member"; error?: string }) {
  const id = useId();
  return (
    <fieldset className="space-y-1.5">
      <legend className="text-[13px] font-medium text-zinc-800">{label}</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {(["member", "owner"] as const).map((role) => (
          <label key={role} htmlFor={`${id}-${role}`} className="flex cursor-pointer gap-2.5 rounded-lg border border-zinc-200 px-3 py-2.5 has-checked:border-indigo-500 has-checked:bg-indigo-50/40">
            <input id={`${id}-${role}`} type="radio" name={name} value={role} defaultChecked={defaultValue === role} className="mt-0.5 size-4 shrink-0 accent-indigo-600" />
            <span className="min-w-0">
              <span className="block text-[13px] font-medium text-zinc-900">{role === "owner" ? "Owner" : "Member"}</span>
              <span className="block text-xs text-zinc-500">{ROLE_HINTS[role]}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p role="alert" className="text-[13px] text-red-600">
          {error.charAt(0).toUpperCase() + error.slice(1)}
        </p>
      ) : null}
    </fieldset>
  );
}
