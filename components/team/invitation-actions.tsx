"use client";

import { useRouter } from "next/navigation";
import { acceptInvitationAction, signOutForInvitationAction } from "@/lib/dashboard/actions/invitations";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";

export function AcceptInvitationButton({ token, orgName }: { token: string; orgName: string }) {
  const router = useRouter();
  const accept = useAction(acceptInvitationAction, {
    onOk: () => {
      router.replace("/dashboard");
      router.refresh();
    },
  });
  return (
    <div className="space-y-3">
      <FormError message={accept.failure?.error} />
      <Button variant="primary" className="w-full" isLoading={accept.isPending || accept.isDone} onClick={() => accept.run({ token })}>
        Join {orgName}
      </Button>
    </div>
  );
}

export function SignOutForInvitationButton({ token }: { token: string }) {
  return (
    <form action={signOutForInvitationAction.bind(null, token)}>
      <Button type="submit" className="w-full">
        Sign out
      </Button>
    </form>
  );
}
