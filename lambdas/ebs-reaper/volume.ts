import type { Volume } from "@aws-sdk/client-ec2";

/** The facts about one EBS volume that the lifecycle decisions need. */
export interface VolumeInfo {
  readonly volumeId: string;
  readonly sizeGiB: number;
  readonly volumeType: string;
  /** EC2 state: "available" means unattached. */
  readonly state: string;
  /** True when EC2 lists any attachment, whatever the state says. */
  readonly attached: boolean;
  readonly createdAt?: Date;
  /** Tags by key. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Convert an EC2 API volume into the shape the decisions use. */
export function toVolumeInfo(volume: Volume): VolumeInfo {
  const tags: Record<string, string> = {};
  for (const tag of volume.Tags ?? []) {
    if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
  }
  return {
    volumeId: volume.VolumeId ?? "",
    sizeGiB: volume.Size ?? 0,
    volumeType: volume.VolumeType ?? "unknown",
    state: volume.State ?? "unknown",
    attached: (volume.Attachments ?? []).length > 0 || volume.State === "in-use",
    createdAt: volume.CreateTime,
    tags,
  };
}
