/**
 * Path of a bootstrap stack's local state file, relative to the stack's folder in cdktf.out.
 *
 * It points outside cdktf.out (to `.bootstrap-state/` at the project root) because synth
 * rewrites the stack folders: state kept there could be lost on the next synth.
 */
export function localStatePath(stackName: string): string {
  return `../../../.bootstrap-state/${stackName}.tfstate`;
}
