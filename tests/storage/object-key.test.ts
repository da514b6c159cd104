// The object-key layout and the file-name/folder sanitisers behind it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fileKeyPrefix,
  MAX_FILENAME_BYTES,
  MAX_FOLDER_BYTES,
  MAX_FOLDER_DEPTH,
  objectKey,
  packageEntryKey,
  parseObjectKey,
  projectKeyPrefix,
  sanitizeFilename,
  sanitizeFolder,
} from "@/lib/storage/object-key";
import { assertStoreKey } from "@/lib/storage/store";

const scope = { projectId: "prj_abc123", fileId: "file_XYZ789" };

describe("objectKey", () => {
  it("puts a file's object under its project and file id", () => {
    expect(objectKey({ ...scope, name: "video.mp4" })).toBe("projects/prj_abc123/files/file_XYZ789/video.mp4");
  });

  it("is deterministic for the same inputs", () => {
    expect(objectKey({ ...scope, name: "My Clip (final).MOV" })).toBe(objectKey({ ...scope, name: "My Clip (final).MOV" }));
  });

  it("sanitises the name it is given", () => {
    expect(objectKey({ ...scope, name: "../../etc/passwd" })).toBe("projects/prj_abc123/files/file_XYZ789/passwd");
    expect(objectKey({ ...scope, name: "" })).toBe("projects/prj_abc123/files/file_XYZ789/file");
  });

  it("refuses ids that are not plain identifiers", () => {
    for (const bad of ["", "../prj", "prj/abc", "prj abc", "a".repeat(65), "prj\u0000"]) {
      expect(() => objectKey({ projectId: bad, fileId: "file_1", name: "a.mp4" }), bad).toThrow(/cannot be used/);
      expect(() => objectKey({ projectId: "prj_1", fileId: bad, name: "a.mp4" }), bad).toThrow(/cannot be used/);
    }
  });

  it("gives the prefixes that hold a project's and a file's objects", () => {
    expect(projectKeyPrefix("prj_abc123")).toBe("projects/prj_abc123/");
    expect(fileKeyPrefix(scope)).toBe("projects/prj_abc123/files/file_XYZ789/");
    expect(objectKey({ ...scope, name: "a.mp4" }).startsWith(fileKeyPrefix(scope))).toBe(true);
  });
});

describe("packageEntryKey", () => {
  it("keeps an HLS master, variants and segments under the package file's prefix", () => {
    expect(packageEntryKey({ ...scope, path: "master.m3u8" })).toBe("projects/prj_abc123/files/file_XYZ789/master.m3u8");
    expect(packageEntryKey({ ...scope, path: "720p/segment-00001.ts" })).toBe("projects/prj_abc123/files/file_XYZ789/720p/segment-00001.ts");
  });

  it("cannot climb out of the package", () => {
    expect(packageEntryKey({ ...scope, path: "../../other/file.ts" })).toBe("projects/prj_abc123/files/file_XYZ789/other/file.ts");
    expect(packageEntryKey({ ...scope, path: "..\\..\\x.ts" })).toBe("projects/prj_abc123/files/file_XYZ789/x.ts");
    expect(packageEntryKey({ ...scope, path: "/abs/seg.ts" })).toBe("projects/prj_abc123/files/file_XYZ789/abs/seg.ts");
  });
});

describe("parseObjectKey", () => {
  it("recovers project, file and path from a key", () => {
    expect(parseObjectKey("projects/prj_abc123/files/file_XYZ789/720p/seg.ts")).toEqual({ ...scope, path: "720p/seg.ts" });
  });

  it("returns null for keys outside the layout", () => {
    expect(parseObjectKey("projects/prj_abc123/other/x")).toBeNull();
    expect(parseObjectKey("projects/prj_abc123/files/file_XYZ789/")).toBeNull();
    expect(parseObjectKey("projects/../files/file_1/x")).toBeNull();
  });
});

describe("sanitizeFilename", () => {
  it.each([
    ["video.mp4", "video.mp4"],
    ["My Holiday Video.MP4", "My-Holiday-Video.MP4"],
    ["my video (final).mp4", "my-video-final.mp4"],
    ["../../etc/passwd", "passwd"],
    ["..\\..\\windows\\system32\\cmd.exe", "cmd.exe"],
    ["/etc/shadow", "shadow"],
    ["C:\\Users\\me\\clip.mov", "clip.mov"],
    ["..", "file"],
    ["....", "file"],
    ["./", "file"],
    ["", "file"],
    ["   ", "file"],
    [".hidden", "hidden"],
    ["-rf.mp4", "rf.mp4"],
    ["--help", "help"],
    ["a..b.mp4", "a.b.mp4"],
    ["evil\u0000.mp4", "evil.mp4"],
    ["line\r\nbreak.txt", "linebreak.txt"],
    ["invoice\u202Egpj.exe", "invoicegpj.exe"],
    ["tab\there.txt", "tabhere.txt"],
    ["%2e%2e%2fsecret", "2e-2e-2fsecret"],
    ["naïve café.jpg", "naïve-café.jpg"],
    ["日本語のファイル.png", "日本語のファイル.png"],
    ["emoji 🎬 clip.mp4", "emoji-clip.mp4"],
    ["a<b>c:d\"e|f?g*h.txt", "a-b-c-d-e-f-g-h.txt"],
    ["CON", "_CON"],
    ["nul.txt", "_nul.txt"],
    ["trailing dots...", "trailing-dots"],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it("normalises Unicode so the same name always gives the same key", () => {
    expect(sanitizeFilename("cafe\u0301.jpg")).toBe(sanitizeFilename("caf\u00e9.jpg"));
  });

  it("caps the length in bytes and keeps the extension", () => {
    const long = sanitizeFilename(`${"é".repeat(300)}.mp4`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(long.endsWith(".mp4")).toBe(true);
    expect(long.startsWith("éé")).toBe(true);
  });

  it("always yields one safe, non-empty path segment", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (input) => {
        const name = sanitizeFilename(input);
        expect(name.length).toBeGreaterThan(0);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
        expect(name).not.toMatch(/[/\\\p{Cc}\p{Cf}]/u);
        expect(name).not.toMatch(/^[.-]/);
        expect(name).not.toContain("..");
        expect(sanitizeFilename(name)).toBe(name);
        expect(() => assertStoreKey(objectKey({ ...scope, name: input }))).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe("sanitizeFolder", () => {
  it.each([
    ["example", "example"],
    ["a/b/c", "a/b/c"],
    ["/a/b/", "a/b"],
    ["a//b///c", "a/b/c"],
    ["a\\b\\c", "a/b/c"],
    ["../../etc", "etc"],
    ["a/../b", "a/b"],
    ["./a/./b/.", "a/b"],
    ["..", ""],
    ["", ""],
    ["/", ""],
    ["My Folder/Sub Folder", "My-Folder/Sub-Folder"],
    ["a/\u0000/b", "a/b"],
    ["C:\\Windows\\System32", "C/Windows/System32"],
    [".git/config", "git/config"],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeFolder(input)).toBe(expected);
  });

  it("caps depth and total length", () => {
    expect(sanitizeFolder(Array.from({ length: 40 }, (_, i) => `d${i}`).join("/")).split("/")).toHaveLength(MAX_FOLDER_DEPTH);
    const wide = sanitizeFolder(Array.from({ length: 12 }, () => "x".repeat(150)).join("/"));
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(MAX_FOLDER_BYTES);
    expect(wide.split("/").every((segment) => segment.length === 100)).toBe(true);
  });

  it("never yields an absolute path or a dot segment", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("..", ".", "", "a", "/", "\\", "b c", "\u0000", "é"), { maxLength: 30 }), (parts) => {
        const folder = sanitizeFolder(parts.join(""));
        expect(folder.startsWith("/")).toBe(false);
        expect(folder.endsWith("/")).toBe(false);
        for (const segment of folder === "" ? [] : folder.split("/")) {
          expect(segment).not.toBe("");
          expect(segment.startsWith(".")).toBe(false);
        }
      }),
    );
  });
});
