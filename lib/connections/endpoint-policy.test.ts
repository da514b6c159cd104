import { describe, expect, it } from "vitest";
import { describeBlockedEndpoint } from "@/lib/connections/endpoint-policy";

const resolvesTo = (address: string) => async () => [{ address }];

describe("describeBlockedEndpoint", () => {
  it("allows a public address", async () => {
    expect(await describeBlockedEndpoint("https://s3.example.com", { allowList: "", lookup: resolvesTo("93.184.216.34") })).toBeNull();
  });

  it("names the kind of address, the host's resolution and the setting for a blocked host", async () => {
    const message = await describeBlockedEndpoint("http://minio.internal:9000", { allowList: "", lookup: resolvesTo("10.0.0.5") });
    expect(message).toContain("private network address");
    expect(message).toContain("minio.internal resolves to 10.0.0.5");
    expect(message).toContain("MEDIABIT_ALLOW_PRIVATE_HOSTS");
  });

  it("blocks a literal loopback address unless the allow list names it", async () => {
    expect(await describeBlockedEndpoint("http://127.0.0.1:9000", { allowList: "" })).toContain("loopback address");
    expect(await describeBlockedEndpoint("http://127.0.0.1:9000", { allowList: "127.0.0.1" })).toBeNull();
    expect(await describeBlockedEndpoint("http://[::1]:9000", { allowList: "" })).toContain("loopback address");
  });

  it("leaves a host that does not resolve to the test", async () => {
    const failing = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    expect(await describeBlockedEndpoint("https://typo.example", { allowList: "", lookup: failing })).toBeNull();
  });
});
