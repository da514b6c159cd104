// One verification of a custom domain: does its CNAME point at this server? A pure verdict from the lookup's outcome.
import type { CnameResolver } from "@/lib/domains/resolver";

export type Verdict = { ok: true } | { ok: false; message: string };

const bare = (name: string) => name.trim().toLowerCase().replace(/\.$/, "");

export async function checkCname(resolve: CnameResolver, hostname: string, target: string): Promise<Verdict> {
  let answers: string[];
  try {
    answers = (await resolve(hostname)).map(bare);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "ENODATA" || code === "ENOTFOUND" || code === "NOTFOUND" || code === "NODATA") {
      return { ok: false, message: `No CNAME record was found for ${hostname}. Create a CNAME record named ${hostname} with the value ${target}; new DNS records can take a few minutes to appear.` };
    }
    return { ok: false, message: `The DNS lookup of ${hostname} did not give an answer (${code || "no reply"}). Try again in a few minutes.` };
  }
  if (answers.includes(target)) return { ok: true };
  if (answers.length === 0) return { ok: false, message: `No CNAME record was found for ${hostname}. Create a CNAME record named ${hostname} with the value ${target}.` };
  return { ok: false, message: `${hostname} has a CNAME record pointing to ${answers.join(", ")}, not to ${target}. Change its value to ${target}.` };
}
