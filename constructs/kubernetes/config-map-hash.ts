import { createHash } from "crypto";

// Go's encoding/json escapes these characters; the hash is over Go's bytes, so we must too.
const GO_JSON_ESCAPES = /[<>&\u2028\u2029]/g;

function goJsonMarshal(value: Record<string, unknown>): string {
  return JSON.stringify(value).replace(GO_JSON_ESCAPES, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function sortedByKey(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(data).sort().map((key) => [key, data[key]]));
}

/**
 * The 10-character name suffix kustomize's configMapGenerator (v5) gives a ConfigMap with `data`,
 * so a ConfigMap built here gets the same name kustomize would give it and pods referencing it
 * roll whenever the content changes.
 *
 * kustomize hashes `{"data":…,"kind":"ConfigMap","name":…}` as Go marshals it, takes the first ten
 * hex digits of the SHA-256 and maps 0,1,3,a,e to g,h,k,m,t so the suffix never looks like a
 * number or a word. Its name lookup (`metadata/name` as one key) finds nothing, so the name is
 * hashed as "": the content alone decides the suffix. The test suite checks this against
 * `kubectl kustomize`.
 */
export function configMapHashSuffix(data: Record<string, string>): string {
  const encoded = goJsonMarshal({ data: sortedByKey(data), kind: "ConfigMap", name: "" });
  const hex = createHash("sha256").update(encoded).digest("hex").slice(0, 10);
  return hex.replace(/[013ae]/g, (ch) => ({ "0": "g", "1": "h", "3": "k", a: "m", e: "t" })[ch] as string);
}
