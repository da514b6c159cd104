// The e2e server's bootstrap owner (MEDIABIT_BOOTSTRAP_EMAIL/PASSWORD in playwright.config.ts).
export const OWNER = { email: "owner@e2e.test", password: "e2e owner passphrase" } as const;
