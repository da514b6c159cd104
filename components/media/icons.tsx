// Icons only the media page uses, drawn like components/ui/icons (16px strokes).
import { Icon, type IconProps } from "@/components/ui/icons";

export const VideoIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.5" y="3.5" width="9" height="9" rx="1.5" />
    <path d="m10.5 7 4-2.5v7l-4-2.5" />
  </Icon>
);
export const ImageIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
    <circle cx="5.5" cy="6" r="1.25" />
    <path d="m2 12 4-4 3 3 2-2 3.5 3.5" />
  </Icon>
);
export const AudioIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M6 12V3.5l7-1.5v8.5" />
    <circle cx="4.25" cy="12" r="1.75" />
    <circle cx="11.25" cy="10.5" r="1.75" />
  </Icon>
);
export const FileIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4 1.5h5l3.5 3.5v9a.5.5 0 0 1-.5.5H4a.5.5 0 0 1-.5-.5V2a.5.5 0 0 1 .5-.5z" />
    <path d="M9 1.5V5h3.5" />
  </Icon>
);
export const UploadIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 10.5V2.5M4.75 5.75 8 2.5l3.25 3.25M2.5 10.5v2a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1v-2" />
  </Icon>
);
export const PauseIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M5.5 3.5v9M10.5 3.5v9" />
  </Icon>
);
export const PlayIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4.5 3v10l8-5z" />
  </Icon>
);
export const RetryIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v3h-3" />
  </Icon>
);
