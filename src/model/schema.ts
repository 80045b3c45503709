/**
 * JSON Schema documents generated from the validators, so editors (VS Code's YAML extension, JSON editors) can
 * complete and check model files. `npm run schema` writes them to schema/.
 */
import { z } from "zod";
import { networkSchema } from "./network.js";
import { particlesSchema } from "./particles.js";

/**
 * JSON Schemas (draft 2020-12) of the two model kinds, for editors (`npm run schema` writes them to schema/).
 *
 * @example
 * ```ts
 * import { modelJsonSchemas } from "ness";
 *
 * const schemas = modelJsonSchemas();
 * console.log(Object.keys(schemas).join(" ")); // => network particles
 * ```
 */
export function modelJsonSchemas(): Record<string, object> {
  const network = z.toJSONSchema(networkSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  const particles = z.toJSONSchema(particlesSchema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return {
    network: {
      title: "ness network model",
      description: "A network of oscillators (sites, masses, pinning, springs) with heat baths on some sites.",
      ...network,
    },
    particles: {
      title: "ness particles model",
      description:
        "Particles of several species, each at its own temperature, with pair and external potentials, in a periodic box or open space.",
      ...particles,
    },
  };
}
