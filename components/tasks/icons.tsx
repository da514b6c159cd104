import { Icon, type IconProps } from "@/components/ui/icons";

/** A pulse line: work going on. */
export const ActivityIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M1.5 8h3l2-5 3 10 2-5h3" />
  </Icon>
);
