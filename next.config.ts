import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and WASM packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "sharp", "pg", "bcryptjs"],
  poweredByHeader: false,
};

export default nextConfig;
