// Writes schema/*.schema.json (JSON Schema for editors: completion and checks of model files and sweep specs) from
// the validators in dist/model and dist/sweep. Run by `npm run schema`; a test checks the committed files are current.
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { modelJsonSchemas } from "../dist/model/schema.js";
import { sweepJsonSchema } from "../dist/sweep/spec.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "schema");
mkdirSync(out, { recursive: true });
for (const [name, schema] of Object.entries({ ...modelJsonSchemas(), sweep: sweepJsonSchema() })) {
  const file = join(out, `${name}.schema.json`);
  writeFileSync(file, JSON.stringify(schema, null, 2) + "\n");
  console.log(`wrote ${file}`);
}
