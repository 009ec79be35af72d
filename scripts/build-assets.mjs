// Copies the front-end packages into var/assets/, which Django serves as static files.
// USWDS is used precompiled (its distributed CSS, JavaScript, fonts and icons); our own small
// stylesheet lives in opencers/static/opencers/.
import { cpSync, mkdirSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(resolve(root, process.env.OPENCERS_VAR_DIR || "var"), "assets");
const uswds = join(root, "node_modules", "@uswds", "uswds", "dist");
const htmx = join(root, "node_modules", "htmx.org", "dist", "htmx.min.js");

for (const path of [uswds, htmx]) {
  if (!existsSync(path)) {
    console.error(`Missing ${path}: run npm ci first.`);
    process.exit(1);
  }
}
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "vendor"), { recursive: true });
for (const part of ["css", "js", "fonts", "img"]) {
  cpSync(join(uswds, part), join(out, "uswds", part), { recursive: true });
}
cpSync(htmx, join(out, "vendor", "htmx.min.js"));
writeFileSync(join(out, "BUILT"), new Date().toISOString() + "\n");
console.log(`assets built in ${out}`);
