// The reference JavaScript age (npm `age-encryption`, hybrid mlkem768x25519
// recipients included), as a filter for the Rust tests:
//   node age.mjs decrypt IDENTITY_FILE < in.age > out
//   node age.mjs encrypt RECIPIENT... < in > out.age
import { readFileSync } from "node:fs";
import { Decrypter, Encrypter } from "age-encryption";

const [command, ...args] = process.argv.slice(2);
const input = new Uint8Array(readFileSync(0));
let out;
if (command === "decrypt" && args.length === 1) {
  const d = new Decrypter();
  for (const line of readFileSync(args[0], "utf8").split("\n")) {
    const key = line.trim();
    if (key && !key.startsWith("#")) d.addIdentity(key);
  }
  out = await d.decrypt(input, "uint8array");
} else if (command === "encrypt" && args.length > 0) {
  const e = new Encrypter();
  for (const r of args) e.addRecipient(r);
  out = await e.encrypt(input);
} else {
  console.error("usage: node age.mjs decrypt IDENTITY_FILE | encrypt RECIPIENT...");
  process.exit(2);
}
process.stdout.write(out);
