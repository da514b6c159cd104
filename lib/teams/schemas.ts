// Inputs of the team and organisation actions: the only place their shapes are written.
import { z } from "zod";

const ZId = z.string().trim().min(1).max(100);
export const ZMemberRole = z.enum(["owner", "member"], "choose owner or member");

// Trim and lower-case before checking the format: a pasted address often carries spaces.
export const ZEmail = z.string().trim().toLowerCase().pipe(z.email("enter an e-mail address such as ana@example.com").max(320));

export const ZInviteMember = z.object({ orgId: ZId, email: ZEmail, role: ZMemberRole });
export type TInviteMember = z.infer<typeof ZInviteMember>;

export const ZRevokeInvitation = z.object({ orgId: ZId, invitationId: ZId });

export const ZChangeMemberRole = z.object({ orgId: ZId, userId: ZId, role: ZMemberRole });

export const ZRemoveMember = z.object({ orgId: ZId, userId: ZId });

export const ZLeaveOrganization = z.object({ orgId: ZId });

export const ZOrganizationName = z.string().trim().min(1, "enter a name").max(100, "use at most 100 characters");
export const ZRenameOrganization = z.object({ orgId: ZId, name: ZOrganizationName });

export const ZShowOrganization = z.object({ orgId: ZId });

export const ZAcceptInvitation = z.object({ token: z.string().trim().min(1).max(100) });
