// What Mediabit knows about a media file after probing; field names follow the API's file object.

export type TMediaKind = "video" | "audio" | "image";
export type TOrientation = "landscape" | "portrait" | "square";

export type TVideoFacts = {
  codec: string;
  profile?: string;
  level?: string;
  pix_fmt?: string;
  bit_depth?: number;
  /** Stored frame size, before rotation and sample aspect ratio. */
  coded_width: number;
  coded_height: number;
  sample_aspect_ratio?: string;
  /** Frame timing differs from the nominal rate (phone footage); planners force constant rate where it matters. */
  variable_frame_rate: boolean;
};

export type TAudioFacts = { codec: string; channels?: number; sample_rate?: number; bitrate?: number };

export type TProbe = {
  kind: TMediaKind;
  /** Bare MIME type, e.g. `video/mp4`. */
  mime: string;
  /** MIME type with codecs when known, e.g. `video/mp4;codecs=avc1,mp4a` (the file object's `type`). */
  type: string;
  /** Short container name: mp4, mov, webm, mkv, mp3, m4a, wav, png, jpeg, heic… */
  container: string;
  format: string;
  filesize: number;
  /** Display size: rotation and sample aspect ratio applied. */
  width?: number;
  height?: number;
  /** Clockwise degrees a player turns the stored frames (0, 90, 180, 270). */
  rotation: number;
  orientation?: TOrientation;
  /** Seconds. */
  duration?: number;
  fps?: number;
  frames?: number;
  /** Bits per second, whole file. */
  bitrate?: number;
  has_video: boolean;
  has_audio: boolean;
  animated: boolean;
  transparency: boolean;
  /** Streams of every type in the container (video, audio, subtitles, data). */
  streams: number;
  video?: TVideoFacts;
  audio?: TAudioFacts;
  codecs: {
    video?: { name: string; profile?: string; level?: string };
    audio?: { name: string; sample_rate?: number; channels?: number; bitrate?: number };
  };
};

export function orientationOf(width: number, height: number): TOrientation {
  if (width === height) return "square";
  return width > height ? "landscape" : "portrait";
}
