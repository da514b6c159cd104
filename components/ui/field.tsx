import { forwardRef, useId, type InputHTMLAttributes, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

const INPUT =
  "block h-9 w-full rounded-md border bg-white px-3 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 focus:outline-none focus:ring-2 focus:ring-offset-0 disabled:bg-zinc-50 disabled:text-zinc-500";

export type InputProps = InputHTMLAttributes<HTMLInputElement> & { hasError?: boolean };

export const Input = forwardRef<HTMLInputElement, InputProps>(function Input({ className, hasError, ...rest }, ref) {
  return (
    <input
      ref={ref}
      aria-invalid={hasError || undefined}
      className={cn(
        INPUT,
        hasError ? "border-red-400 focus:border-red-500 focus:ring-red-500/20" : "border-zinc-300 focus:border-indigo-500 focus:ring-indigo-500/20",
        className,
      )}
      {...rest}
    />
  );
});

type FieldProps = Omit<InputProps, "id" | "hasError"> & {
  label: string;
  name: string;
  hint?: ReactNode;
  error?: string;
  /** Shown after the label, e.g. "optional". */
  labelNote?: string;
  inputClassName?: string;
};

/** Schema messages are lower-case fragments ("use at least 8 characters"); shown alone they read as sentences. */
function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** A labelled input with its hint, and its error in place of the hint. */
export function Field({ label, name, hint, error, labelNote, className, inputClassName, ...rest }: FieldProps) {
  const id = useId();
  const describedBy = `${id}-desc`;
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={id} className="flex items-baseline gap-1.5 text-[13px] font-medium text-zinc-800">
        {label}
        {labelNote ? <span className="text-xs font-normal text-zinc-500">{labelNote}</span> : null}
      </label>
      <Input id={id} name={name} className={inputClassName} hasError={Boolean(error)} aria-describedby={hint || error ? describedBy : undefined} {...rest} />
      {error ? (
        <p id={describedBy} role="alert" className="text-[13px] text-red-600" data-field-error={name}>
          {sentence(error)}
        </p>
      ) : hint ? (
        <p id={describedBy} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "id"> & { label: string; hint?: ReactNode };

export function Checkbox({ label, hint, className, ...rest }: CheckboxProps) {
  const id = useId();
  return (
    <div className={cn("flex items-start gap-2.5", className)}>
      <input
        id={id}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
        {...rest}
      />
      <div className="min-w-0">
        <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">
          {label}
        </label>
        {hint ? <p className="text-xs text-zinc-500">{hint}</p> : null}
      </div>
    </div>
  );
}

/** The form-level error (anything not tied to one field). */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-700" data-form-error>
      {message}
    </div>
  );
}
