// Option pieces shared by the per-kind schemas (tasks.md §5 "common option value sets").
import { z } from "zod";

export const QUALITY_PRESETS = ["very_low", "low", "medium", "high", "very_high"] as const;
export type TQualityPreset = (typeof QUALITY_PRESETS)[number];

/** A preset name, or 0–100 (the older SDKs' integer form). */
export const ZQuality = z.union([z.enum(QUALITY_PRESETS), z.number().int().min(0).max(100)]);
export type TQuality = z.infer<typeof ZQuality>;

/** Pixels, or a percentage of the input's display size such as `"50%"`. */
export const ZDimension = z.union([
  z.number().int().min(1).max(16384),
  // 0% is excluded by the lookahead: it would ask for an empty frame.
  z.string().regex(/^(?!0+(?:\.0+)?%)(?:\d{1,3}(?:\.\d+)?|1000)%$/, 'a percentage above 0 such as "50%"'),
]);
export type TDimension = z.infer<typeof ZDimension>;

export const ZFit = z.enum(["contain", "cover", "fill"]);
export type TFit = z.infer<typeof ZFit>;

export const POSITIONS = ["center", "top", "bottom", "left", "right", "top_left", "top_right", "bottom_left", "bottom_right"] as const;
export const ZPosition = z.enum(POSITIONS);
export type TPosition = z.infer<typeof ZPosition>;

export const ZBackground = z.string().regex(/^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, "a hex colour such as #000000");

const ZSeconds = z.number().min(0).max(1_000_000);

/** Shared output naming used by the task layer, accepted here so whole option objects validate. */
export const namingShape = {
  filename: z.string().max(255).optional(),
  folder: z.string().max(1024).optional(),
  ref: z.string().max(255).optional(),
};

export const sizeShape = {
  width: ZDimension.optional(),
  height: ZDimension.optional(),
  fit: ZFit.optional(),
  position: ZPosition.optional(),
  background: ZBackground.optional(),
  /** Allow output larger than the input; off by default so quality is never faked. */
  upscale: z.boolean().optional(),
};

export const clipShape = {
  start: ZSeconds.optional(),
  end: ZSeconds.optional(),
  duration: z.number().positive().max(1_000_000).optional(),
};

type TClipFields = { start?: number; end?: number; duration?: number };

/** `end` after `start`, and not both `end` and `duration`; attached to each schema that has clip fields. */
export function checkClip(value: TClipFields, context: z.RefinementCtx): void {
  if (value.end !== undefined && value.duration !== undefined) {
    context.addIssue({ code: "custom", path: ["duration"], message: "give end or duration, not both" });
  }
  if (value.end !== undefined && value.end <= (value.start ?? 0)) {
    context.addIssue({ code: "custom", path: ["end"], message: "end must be after start" });
  }
}
