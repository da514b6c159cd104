import type { NextConfig } from "next";

/** Pages a person signs in to or acts on: never framed (clickjacking), never sniffed, no full URLs leak out. */
export const PAGE_SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

const nextConfig: NextConfig = {
  // Native and WASM packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "sharp", "pg", "@node-rs/argon2", "@node-rs/bcrypt"],
  poweredByHeader: false,
  async headers() {
    return ["/", "/dashboard", "/dashboard/:path*", "/login", "/signup", "/invite", "/invite/:path*", "/api/auth/:path*"].map((source) => ({ source, headers: PAGE_SECURITY_HEADERS }));
  },
};

export default nextConfig;
