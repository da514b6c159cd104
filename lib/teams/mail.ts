// Invitation e-mails over SMTP (MEDIABIT_SMTP_URL, MEDIABIT_MAIL_FROM). The link in a message is built from
// MEDIABIT_PUBLIC_URL only, never from request headers: a forged Host would otherwise send people elsewhere.
import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import { env } from "@/lib/env";

export type MailOutcome = { status: "sent"; to: string } | { status: "not_sent"; reason: string } | { status: "failed"; reason: string };

type MailSetup = { canSend: true; smtpUrl: string; from: string; origin: string } | { canSend: false; reason: string };

// An unreachable server must not hold the owner's click for minutes (nodemailer's defaults are 2 min and 10 min).
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

export function invitationMailSetup(): MailSetup {
  const { MEDIABIT_SMTP_URL, MEDIABIT_MAIL_FROM, MEDIABIT_PUBLIC_URL } = env();
  if (!MEDIABIT_SMTP_URL) return { canSend: false, reason: "This server has no mail set up (MEDIABIT_SMTP_URL), so no e-mail was sent." };
  if (!MEDIABIT_MAIL_FROM) return { canSend: false, reason: "MEDIABIT_MAIL_FROM is not set on this server, so no e-mail was sent." };
  if (!MEDIABIT_PUBLIC_URL) {
    return {
      canSend: false,
      reason: "MEDIABIT_PUBLIC_URL is not set on this server, so no e-mail was sent: a link in an e-mail is only ever built from that setting.",
    };
  }
  return { canSend: true, smtpUrl: MEDIABIT_SMTP_URL, from: MEDIABIT_MAIL_FROM, origin: new URL(MEDIABIT_PUBLIC_URL).origin };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

export type InvitationMail = { to: string; orgName: string; inviter: string; role: "owner" | "member"; token: string; expiresAt: Date };

export function invitationMessage(mail: InvitationMail, origin: string): { subject: string; text: string; html: string; link: string } {
  const link = `${origin}/invite/${mail.token}`;
  const expires = mail.expiresAt.toUTCString();
  const subject = `${mail.inviter} invited you to ${mail.orgName} on Mediabit`;
  const text = [
    `${mail.inviter} invited you to join ${mail.orgName} on Mediabit as ${mail.role === "owner" ? "an owner" : "a member"}.`,
    "",
    `Accept the invitation: ${link}`,
    "",
    `The link works once, for ${mail.to} only, until ${expires}.`,
    "If you did not expect this invitation, ignore this e-mail.",
  ].join("\n");
  const html = [
    `<p>${escapeHtml(mail.inviter)} invited you to join <strong>${escapeHtml(mail.orgName)}</strong> on Mediabit as ${mail.role === "owner" ? "an owner" : "a member"}.</p>`,
    `<p><a href="${escapeHtml(link)}">Accept the invitation</a></p>`,
    `<p>The link works once, for ${escapeHtml(mail.to)} only, until ${escapeHtml(expires)}. If you did not expect this invitation, ignore this e-mail.</p>`,
  ].join("\n");
  return { subject, text, html, link };
}

/** Never throws: the invitation exists either way, and the owner still has the link to pass on. */
export async function sendInvitationMail(mail: InvitationMail): Promise<MailOutcome> {
  const setup = invitationMailSetup();
  if (!setup.canSend) return { status: "not_sent", reason: setup.reason };
  const message = invitationMessage(mail, setup.origin);
  // SMTPTransport merges these options with the URL's (nodemailer.createTransport(url) would drop them).
  const transport = nodemailer.createTransport(new SMTPTransport({ url: setup.smtpUrl, ...TIMEOUTS }));
  try {
    await transport.sendMail({ from: setup.from, to: mail.to, subject: message.subject, text: message.text, html: message.html });
    return { status: "sent", to: mail.to };
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : String(error);
    console.error(`[mail] invitation e-mail to ${mail.to} failed: ${detail}`);
    return { status: "failed", reason: `The mail server did not accept the e-mail (${detail}).` };
  } finally {
    transport.close();
  }
}
