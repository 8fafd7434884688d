// Writes every C2SP CCTV age test vector (npm `cctv-age`) into the directory given
// as the only argument, one file per vector, zlib-compressed ones decompressed.
// Used by the Rust tests (src/hybrid.rs), which cannot read the npm module directly.
import { inflateSync } from "node:zlib";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as vectors from "cctv-age";

const out = process.argv[2];
if (!out) {
  console.error("usage: node cctv.mjs OUT_DIR");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
for (const [name, bytes] of Object.entries(vectors)) {
  let data = Buffer.from(bytes);
  const split = data.indexOf("\n\n");
  const header = data.subarray(0, split).toString();
  if (/^compressed: zlib$/m.test(header)) {
    const body = inflateSync(data.subarray(split + 2));
    data = Buffer.concat([data.subarray(0, split + 2), body]);
  }
  writeFileSync(join(out, name), data);
}
console.log(Object.keys(vectors).length);
