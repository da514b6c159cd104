// Lint: TypeScript's recommended rules, plus the layering rule the architecture depends on —
// pages and components never reach the database, the media tools or the AWS SDK directly.
import tseslint from "typescript-eslint";

const layering = {
  patterns: [
    { group: ["@/lib/db/generated/*", "@prisma/*", "pg", "@electric-sql/*"], message: "Data access lives in lib/ services." },
    { group: ["sharp", "@/lib/media/ffmpeg", "@/lib/media/sharp"], message: "Media tools live in lib/media." },
    { group: ["@aws-sdk/*"], message: "Storage lives in lib/storage." },
  ],
};

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "lib/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  { files: ["app/**/*.{ts,tsx}"], rules: { "no-restricted-imports": ["error", layering] } },
  // Components sit below the pages: server actions they call live in lib/dashboard/actions, not under app/.
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [...layering.patterns, { group: ["@/app/*"], message: "Components never import from app/; server actions live in lib/dashboard/actions." }] },
      ],
    },
  },
  // Tests read loosely typed JSON responses.
  { files: ["tests/**/*.ts", "e2e/**/*.ts", "bench/**/*.ts"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
);
