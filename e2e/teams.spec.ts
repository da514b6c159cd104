// Teams in Chromium: an owner invites by e-mail address and copies the link; the invitee creates an account
// through it and sees the owner's projects; removal takes effect on the member's next request. Members do not
// see owner-only controls; project settings rename and delete (the last project leaves an empty organisation).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { signInAsOwner, signUp, uniqueEmail } from "./helpers";

const openNav = (page: Page, label: string): Promise<void> => page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: label }).click();

/** The page as it is, at desktop and at phone width: nothing may be wider than the screen. */
async function shotBoth(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${width}px is wider than the screen`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screenshots/teams-${name}-${width}.png`, fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

async function createProject(page: Page, name: string): Promise<void> {
  await page.getByTestId("project-switcher").click();
  await page.getByRole("menuitem", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Project name").fill(name);
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("project-switcher")).toContainText(name);
}

/** Invites from the team page and returns the link shown on screen (after copying it). */
async function invite(page: Page, email: string, role: "Member" | "Owner" = "Member"): Promise<string> {
  await page.goto("/dashboard/team");
  await page.getByRole("button", { name: "Invite people" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite people" });
  await dialog.getByLabel("E-mail address").fill(email);
  await dialog.getByRole("radio", { name: new RegExp(`^${role}`) }).check();
  await dialog.getByRole("button", { name: "Create invitation" }).click();
  const created = page.getByRole("dialog", { name: "Invitation created" });
  const link = (await created.getByTestId("invitation-link").textContent()) ?? "";
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3100\/invite\/inv_[0-9A-Za-z]{40}$/);
  return link;
}

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  return context.newPage();
}

test("an owner invites an address; the invitee joins through the link, then loses access when removed", async ({ page, browser, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInAsOwner(page);
  const projectName = `Shared ${randomBytes(3).toString("hex")}`;
  await createProject(page, projectName);
  const orgName = (await page.getByTestId("current-org-name").textContent()) ?? "";
  expect(orgName.length).toBeGreaterThan(0);

  const inviteeEmail = uniqueEmail("invitee");
  let link = "";
  await test.step("invite, see why no e-mail went out, copy the link", async () => {
    link = await invite(page, inviteeEmail);
    const created = page.getByRole("dialog", { name: "Invitation created" });
    // The e2e server has no mail settings: the dialog says so instead of pretending.
    await expect(created.getByTestId("invitation-mail-status")).toContainText("MEDIABIT_SMTP_URL");
    await created.getByRole("button", { name: "Copy link" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await shotBoth(page, "invite-created");
    await created.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("invitation-row").filter({ hasText: inviteeEmail })).toBeVisible();
    await shotBoth(page, "team-owner");
  });

  const invitee = await freshPage(browser);
  await test.step("the invitee opens the link signed out and creates an account through it", async () => {
    await invitee.goto(link);
    await expect(invitee.getByRole("heading", { name: `Join ${orgName}`, exact: true })).toBeVisible();
    await expect(invitee.getByTestId("invitation")).toContainText(inviteeEmail);
    await expect(invitee.getByTestId("invitation")).toContainText(/invited/);
    await expect(invitee.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", `/login?callbackUrl=${encodeURIComponent(new URL(link).pathname)}`);
    await shotBoth(invitee, "invite-signed-out");
    await invitee.getByRole("link", { name: "Create account" }).click();
    await expect(invitee).toHaveURL(/\/signup\?invitation=inv_/);
    await expect(invitee.getByLabel("Email")).toHaveValue(inviteeEmail);
    await expect(invitee.getByLabel("Email")).not.toBeEditable();
    await invitee.getByLabel("Password").fill("invitee passphrase 1");
    await invitee.getByRole("button", { name: /Create account/ }).click();
    await expect(invitee).toHaveURL(/\/dashboard$/);
  });

  await test.step("the invitee sees the owner's projects and no owner-only controls", async () => {
    const switcher = invitee.getByTestId("project-switcher");
    await expect(switcher).toContainText(orgName);
    await switcher.click();
    await expect(invitee.getByRole("menuitem", { name: projectName })).toBeVisible();
    // Joined through the invitation only: no organisation of their own was made.
    await expect(invitee.getByTestId("switcher-org")).toHaveCount(1);
    await invitee.keyboard.press("Escape");

    await openNav(invitee, "Team");
    await expect(invitee.getByTestId("member-row").filter({ hasText: inviteeEmail })).toContainText("(you)");
    await expect(invitee.getByRole("button", { name: "Invite people" })).toHaveCount(0);
    await expect(invitee.getByTestId("member-role-select")).toHaveCount(0);
    await expect(invitee.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
    await expect(invitee.getByRole("heading", { name: /Pending invitations/ })).toHaveCount(0);
    await expect(invitee.getByText("Only owners invite people")).toBeVisible();
    await shotBoth(invitee, "team-member");

    await openNav(invitee, "Settings");
    await expect(invitee.getByRole("button", { name: "Delete project" })).toHaveCount(0);
    await expect(invitee.getByTestId("delete-project-owner-only")).toBeVisible();
    await expect(invitee.getByTestId("org-name-readonly")).toHaveText(orgName);
    await shotBoth(invitee, "settings-member");
  });

  await test.step("the link worked once", async () => {
    const again = await freshPage(browser);
    await again.goto(link);
    await expect(again.getByRole("heading", { name: "This invitation was already used" })).toBeVisible();
    await shotBoth(again, "invite-used");
    await again.context().close();
  });

  await test.step("the owner removes the member; the member's next request has no access", async () => {
    await page.goto("/dashboard/team");
    const row = page.getByTestId("member-row").filter({ hasText: inviteeEmail });
    await row.getByRole("button", { name: `Remove ${inviteeEmail}` }).click();
    const dialog = page.getByRole("dialog", { name: "Remove member?" });
    await expect(dialog).toContainText(inviteeEmail);
    await dialog.getByRole("button", { name: "Remove" }).click();
    await expect(row).toHaveCount(0);

    await invitee.reload();
    await expect(invitee.getByRole("heading", { name: "You belong to no organisation" })).toBeVisible();
    await expect(invitee.getByText(projectName)).toHaveCount(0);
    await shotBoth(invitee, "no-organisation");
    // Project pages send here too, rather than showing the old project.
    await invitee.goto("/dashboard/keys");
    await expect(invitee).toHaveURL(/\/dashboard$/);
    await expect(invitee.getByRole("heading", { name: "You belong to no organisation" })).toBeVisible();
  });
  await invitee.context().close();
});

test("the invitation page explains a wrong account and a revoked link", async ({ page, browser }) => {
  await signInAsOwner(page);
  const email = uniqueEmail("wrong-account");
  const link = await invite(page, email, "Owner");
  await page.getByRole("button", { name: "Done" }).click();

  // Signed in as the owner, who is not the invited address.
  await page.goto(link);
  await expect(page.getByTestId("invitation-wrong-account")).toContainText(`this invitation is for ${email}`);
  await expect(page.getByTestId("invitation")).toContainText("as an owner");
  await shotBoth(page, "invite-wrong-account");
  // Signing out comes back to the same invitation, now offering to create the invited account.
  await page.getByTestId("invitation-wrong-account").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(link);
  await expect(page.getByRole("link", { name: "Create account" })).toHaveAttribute("href", /\/signup\?invitation=inv_/);

  await signInAsOwner(page);
  await page.goto("/dashboard/team");
  const row = page.getByTestId("invitation-row").filter({ hasText: email });
  await row.getByRole("button", { name: `Revoke the invitation for ${email}` }).click();
  await expect(row).toHaveCount(0);

  const visitor = await freshPage(browser);
  await visitor.goto(link);
  await expect(visitor.getByRole("heading", { name: "This invitation was withdrawn" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: "Create account" })).toHaveCount(0);
  await shotBoth(visitor, "invite-revoked");
  await visitor.goto("/invite/inv_nonsense");
  await expect(visitor.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();
  await visitor.context().close();
});

test("an owner renames and deletes projects; the last one leaves an empty organisation that offers a new project", async ({ page }) => {
  await signUp(page, { name: "Sole Owner", email: uniqueEmail("sole"), password: "sole owner passphrase" });

  await test.step("the last owner can neither demote nor remove themselves", async () => {
    await openNav(page, "Team");
    await page.getByTestId("member-role-select").selectOption("member");
    await expect(page.getByRole("alert").filter({ hasText: "is the last owner" })).toBeVisible();
    await expect(page.getByTestId("member-role-select")).toHaveValue("owner");
    await page.getByRole("button", { name: "Leave" }).click();
    const dialog = page.getByRole("dialog", { name: /^Leave / });
    await dialog.getByRole("button", { name: "Leave organisation" }).click();
    await expect(dialog.getByRole("alert")).toContainText("You are the last owner");
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  await test.step("rename the project and the organisation", async () => {
    await openNav(page, "Settings");
    await shotBoth(page, "settings-owner");
    const projectForm = page.locator("form").filter({ has: page.getByLabel("Project name") });
    await projectForm.getByLabel("Project name").fill("");
    await projectForm.getByRole("button", { name: "Save" }).click();
    await expect(projectForm.locator('[data-field-error="name"]')).toHaveText("Enter a name");
    await projectForm.getByLabel("Project name").fill("Website");
    await projectForm.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("project-switcher")).toContainText("Website");
    const orgForm = page.locator("form").filter({ has: page.getByLabel("Organisation name") });
    await orgForm.getByLabel("Organisation name").fill("Sole Media");
    await orgForm.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("project-switcher")).toContainText("Sole Media");
  });

  await test.step("delete a project: the dialog names its contents and wants the name typed", async () => {
    await createProject(page, "Scratch");
    await openNav(page, "API keys");
    await page.getByRole("button", { name: "Create key" }).first().click();
    const keyDialog = page.getByRole("dialog", { name: "Create API key" });
    await keyDialog.getByLabel("Name").fill("to be deleted");
    await keyDialog.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("button", { name: "I've saved the key" }).click();

    await openNav(page, "Settings");
    await page.getByRole("button", { name: "Delete project" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete Scratch?" });
    await expect(dialog.getByTestId("delete-project-contents")).toContainText("1 API key");
    await expect(dialog.getByTestId("delete-project-contents")).toContainText("0 media items");
    const confirm = dialog.getByRole("button", { name: "Delete project" });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel("Type Scratch to confirm").fill("scratch");
    await expect(confirm).toBeDisabled();
    await shotBoth(page, "delete-project-dialog");
    await dialog.getByLabel("Type Scratch to confirm").fill("Scratch");
    await confirm.click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("project-switcher")).toContainText("Website");
    await page.getByTestId("project-switcher").click();
    await expect(page.getByRole("menuitem", { name: "Scratch" })).toHaveCount(0);
    await page.keyboard.press("Escape");
  });

  await test.step("deleting the last project leaves the organisation with an empty state", async () => {
    await openNav(page, "Settings");
    await page.getByRole("button", { name: "Delete project" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete Website?" });
    await dialog.getByLabel("Type Website to confirm").fill("Website");
    await dialog.getByRole("button", { name: "Delete project" }).click();
    await expect(page.getByRole("heading", { name: "Sole Media has no projects yet" })).toBeVisible();
    await expect(page.getByTestId("project-switcher")).toContainText("No project yet");
    await shotBoth(page, "org-empty");
    // Team and settings still work for the organisation.
    await openNav(page, "Team");
    await expect(page.getByTestId("member-row")).toHaveCount(1);
    await openNav(page, "Settings");
    await expect(page.getByLabel("Organisation name")).toHaveValue("Sole Media");
    await shotBoth(page, "settings-no-project");
    await openNav(page, "Overview");
    await page.getByRole("button", { name: "Create a project" }).click();
    const create = page.getByRole("dialog", { name: "New project" });
    await create.getByLabel("Project name").fill("Fresh start");
    await create.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fresh start");
  });
});

test("someone with an organisation of their own joins another while signed in, switches between them, and leaves", async ({ page, browser }) => {
  await signInAsOwner(page);
  const ownerOrg = (await page.getByTestId("current-org-name").textContent()) ?? "";
  const email = uniqueEmail("multi");
  const link = await invite(page, email);
  await page.getByRole("button", { name: "Done" }).click();

  const person = await freshPage(browser);
  await signUp(person, { name: "Multi Person", email, password: "multi passphrase 1" });
  const ownOrg = "Multi Person's organisation";
  await expect(person.getByTestId("current-org-name")).toHaveText(ownOrg);

  await person.goto(link);
  await shotBoth(person, "invite-signed-in");
  await person.getByRole("button", { name: `Join ${ownerOrg}` }).click();
  await expect(person).toHaveURL(/\/dashboard$/);
  // Joining shows the new organisation's first project.
  await expect(person.getByTestId("current-org-name")).toHaveText(ownerOrg);

  const switcher = person.getByTestId("project-switcher");
  await switcher.click();
  await expect(person.getByTestId("switcher-org")).toHaveCount(2);
  await shotBoth(person, "switcher-two-orgs");
  await person.getByTestId("switcher-org").filter({ hasText: ownOrg }).getByRole("menuitem", { name: "Default" }).click();
  await expect(person.getByTestId("current-org-name")).toHaveText(ownOrg);
  await switcher.click();
  await person.getByTestId("switcher-org").filter({ hasText: ownerOrg }).getByRole("menuitem").first().click();
  await expect(person.getByTestId("current-org-name")).toHaveText(ownerOrg);


  // Their own organisation loses its only project: it stays in the switcher and can be opened, empty.
  await switcher.click();
  await person.getByTestId("switcher-org").filter({ hasText: ownOrg }).getByRole("menuitem", { name: "Default" }).click();
  await expect(person.getByTestId("current-org-name")).toHaveText(ownOrg);
  await openNav(person, "Settings");
  await person.getByRole("button", { name: "Delete project" }).click();
  const dialog = person.getByRole("dialog", { name: "Delete Default?" });
  await dialog.getByLabel("Type Default to confirm").fill("Default");
  await dialog.getByRole("button", { name: "Delete project" }).click();
  const ownEmpty = person.getByRole("heading", { name: `${ownOrg} has no projects yet` });
  await expect(ownEmpty).toBeVisible();
  await switcher.click();
  await person.getByTestId("switcher-org").filter({ hasText: ownerOrg }).getByRole("menuitem").first().click();
  await expect(person.getByTestId("current-org-name")).toHaveText(ownerOrg);
  await expect(ownEmpty).toHaveCount(0);
  await switcher.click();
  await person.getByTestId("switcher-org").filter({ hasText: ownOrg }).getByRole("menuitem", { name: "No projects yet" }).click();
  await expect(ownEmpty).toBeVisible();
  await expect(person.getByTestId("current-org-name")).toHaveText(ownOrg);

  // Leaving the other organisation leaves them with their own, still empty.
  await switcher.click();
  await person.getByTestId("switcher-org").filter({ hasText: ownerOrg }).getByRole("menuitem").first().click();
  await expect(person.getByTestId("current-org-name")).toHaveText(ownerOrg);
  await openNav(person, "Team");
  await person.getByRole("button", { name: "Leave" }).click();
  await person.getByRole("dialog", { name: `Leave ${ownerOrg}?` }).getByRole("button", { name: "Leave organisation" }).click();
  await expect(person).toHaveURL(/\/dashboard$/);
  await expect(ownEmpty).toBeVisible();
  await switcher.click();
  await expect(person.getByTestId("switcher-org")).toHaveCount(1);
  await person.context().close();
});
