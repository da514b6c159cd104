import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/api/errors";

/** Another project's (or no) task, run or job is the dashboard's 404 page, as in the API. */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
}

export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <Link href={href} className="mb-4 inline-flex items-center gap-1 text-[13px] font-medium text-zinc-500 hover:text-zinc-900">
      ← {label}
    </Link>
  );
}
