// Invitation e-mails against a real SMTP server on loopback (smtp-server): the message arrives with the link,
// built from MEDIABIT_PUBLIC_URL only; without that setting nothing is sent and the reason says so.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { describeInvitation, inviteMember } from "@/lib/teams/invitations";
import { makeTeam, withSettings } from "./helpers";

type Received = { from: string; to: string[]; raw: string };

const received: Received[] = [];
let refuseRecipients = false;
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback; nodemailer would otherwise upgrade to TLS with a certificate it cannot check.
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuseRecipients) return callback(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  received.length = 0;
  refuseRecipients = false;
  withSettings({ MEDIABIT_SMTP_URL: undefined, MEDIABIT_MAIL_FROM: undefined, MEDIABIT_PUBLIC_URL: undefined });
});

/** Quoted-printable wraps long lines with "=\r\n"; undo it so a link can be searched for whole. */
function unwrap(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
}

describe("invitation e-mail", () => {
  it("is sent through MEDIABIT_SMTP_URL with the link built from MEDIABIT_PUBLIC_URL", async () => {
    withSettings({
      MEDIABIT_SMTP_URL: `smtp://127.0.0.1:${port}`,
      MEDIABIT_MAIL_FROM: "Mediabit <noreply@mediabit.test>",
      MEDIABIT_PUBLIC_URL: "https://media.example.test/some/path",
    });
    const team = await makeTeam();
    const { token, mail, invitation } = await inviteMember(team.as(team.owner.id), { email: "dana@example.test", role: "member" });
    expect(mail).toEqual({ status: "sent", to: "dana@example.test" });
    expect(received).toHaveLength(1);
    const message = received[0]!;
    expect(message.from).toBe("noreply@mediabit.test");
    expect(message.to).toEqual(["dana@example.test"]);
    const body = unwrap(message.raw);
    expect(body).toContain(`https://media.example.test/invite/${token}`);
    expect(body).toMatch(/^Subject: Olga Owner invited you to Team \S+ on Mediabit/m);
    expect(body).toContain("for dana@example.test only");
    expect(invitation.email).toBe("dana@example.test");
  });

  it("is not sent without MEDIABIT_PUBLIC_URL, and the reason names that setting", async () => {
    withSettings({ MEDIABIT_SMTP_URL: `smtp://127.0.0.1:${port}`, MEDIABIT_MAIL_FROM: "noreply@mediabit.test", MEDIABIT_PUBLIC_URL: undefined });
    const team = await makeTeam();
    const { mail, token } = await inviteMember(team.as(team.owner.id), { email: "eli@example.test", role: "member" });
    expect(mail.status).toBe("not_sent");
    expect(mail.status !== "sent" && mail.reason).toContain("MEDIABIT_PUBLIC_URL");
    expect(token).toMatch(/^inv_/);
    // Give a wrongly sent message time to arrive before asserting there was none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toHaveLength(0);
  });

  it("is not sent without mail settings, and says so", async () => {
    const team = await makeTeam();
    const { mail } = await inviteMember(team.as(team.owner.id), { email: "fay@example.test", role: "member" });
    expect(mail).toEqual({ status: "not_sent", reason: expect.stringContaining("MEDIABIT_SMTP_URL") });
    withSettings({ MEDIABIT_SMTP_URL: `smtp://127.0.0.1:${port}`, MEDIABIT_PUBLIC_URL: "https://media.example.test" });
    const second = await inviteMember(team.as(team.owner.id), { email: "fay@example.test", role: "member" });
    expect(second.mail).toEqual({ status: "not_sent", reason: expect.stringContaining("MEDIABIT_MAIL_FROM") });
    expect(received).toHaveLength(0);
  });

  it("reports a refused message as failed while the invitation stays usable", async () => {
    withSettings({ MEDIABIT_SMTP_URL: `smtp://127.0.0.1:${port}`, MEDIABIT_MAIL_FROM: "noreply@mediabit.test", MEDIABIT_PUBLIC_URL: "https://media.example.test" });
    refuseRecipients = true;
    const team = await makeTeam();
    const { mail, token } = await inviteMember(team.as(team.owner.id), { email: "gus@example.test", role: "member" });
    expect(mail).toEqual({ status: "failed", reason: expect.stringContaining("mailbox unavailable") });
    expect((await describeInvitation(token))?.status).toBe("pending");
  });

  it("refuses a MEDIABIT_SMTP_URL that is not smtp(s)", async () => {
    withSettings({ MEDIABIT_SMTP_URL: "http://127.0.0.1:25" });
    expect(() => env()).toThrow(/MEDIABIT_SMTP_URL: must look like smtp:/);
  });
});
