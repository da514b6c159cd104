import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { Card, PageHeader } from "@/components/ui/page-header";
import { currentProject } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const { user } = await currentProject();
  return (
    <>
      <PageHeader
        title="Account"
        description={
          <>
            Signed in as <span className="font-medium break-all text-zinc-700">{user.email}</span>.
          </>
        }
      />
      <Card className="max-w-xl p-5 sm:p-6">
        <h2 className="text-sm font-semibold text-zinc-900">Change password</h2>
        <p className="mt-1 text-[13px] text-zinc-500">Changing your password signs you out everywhere else: other browsers and devices will have to sign in again.</p>
        <ChangePasswordForm />
      </Card>
    </>
  );
}
