/**
 * `ness lab [--port P]`: serves the ness lab (the static site written by `npm run build:web` into dist/lab) on
 * localhost with Node's http module. No network is needed: the page, its scripts and its Web Workers all come from
 * this server, and everything is computed in the browser. Only files under the site's folder are served (no
 * directory listing, no path outside it); the server listens on 127.0.0.1 only.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { ModelError, NessError } from "../../errors.js";
import { numberOption } from "../../model/options.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".yaml": "text/yaml; charset=utf-8",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

/** The built site: dist/lab next to the compiled CLI (dist/cli/commands -> dist/lab), also when run from src/. */
export function labSiteFolder(): string {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith(".ts") ? new URL("../../../dist/lab/", here) : new URL("../../lab/", here);
  return fileURLToPath(url);
}

/** The lab's Vite configuration when ness runs from a checkout (lab/ beside src/ and dist/), else undefined. */
export function labConfig(): string | undefined {
  const config = fileURLToPath(new URL("../../../lab/vite.config.ts", import.meta.url));
  return existsSync(config) ? config : undefined;
}

/**
 * Builds the lab into `folder` with Vite (what `npm run build:web` does) when the sources and Vite are at hand (a
 * checkout with its dev dependencies); false when they are not.
 */
export async function buildLab(folder: string, log: (line: string) => void): Promise<boolean> {
  const config = labConfig();
  if (!config) return false;
  let vite: typeof import("vite");
  try {
    vite = await import("vite");
  } catch {
    return false;
  }
  log(`ness lab: the lab is not built: building it into ${folder} (npm run build:web does the same)`);
  await vite.build({ configFile: config, logLevel: "warn", build: { outDir: folder, emptyOutDir: true } });
  return true;
}

/**
 * Starts a static server for `folder` on 127.0.0.1:port (0: any free port) and resolves with it and its URL once
 * it listens. A port in use or not allowed is a NessError with the port in the message.
 */
export async function serveLab(folder: string, port: number): Promise<{ server: Server; url: string }> {
  const root = resolve(folder);
  if (!existsSync(join(root, "index.html"))) {
    throw new NessError(
      `the lab is not built (${join(root, "index.html")} is missing): run npm run build:web in a checkout of ness`,
    );
  }
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return void res.writeHead(400).end("bad request");
    }
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return void res.writeHead(404).end("not found");
    let body: Buffer;
    try {
      if (!statSync(file).isFile()) return void res.writeHead(404).end("not found");
      body = readFileSync(file);
    } catch {
      return void res.writeHead(404).end("not found");
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why =
        err.code === "EADDRINUSE" ? "it is in use" : err.code === "EACCES" ? "permission denied" : err.message;
      fail(new ModelError(`--port ${port}: cannot listen on 127.0.0.1:${port}: ${why}`));
    });
    server.listen(port, "127.0.0.1", () => ok());
  });
  const addr = server.address();
  const actual = typeof addr === "object" && addr ? addr.port : port;
  return { server, url: `http://127.0.0.1:${actual}/` };
}

export function labCommand(): Command {
  return new Command("lab")
    .description("serve the ness lab (network editor, simulations and studies in the browser) on localhost")
    .option("--port <P>", "port on 127.0.0.1 (default 8370; 0: any free port)")
    .action(async (opts: { port?: string }) => {
      const port = numberOption(opts.port ?? "8370", "--port", { integer: true, min: 0, max: 65535 })!;
      const folder = labSiteFolder();
      // Not built (npm run build empties dist/ but keeps dist/lab; a fresh checkout has none): build it once when
      // the sources and Vite are here, else serveLab says which command to run.
      if (!existsSync(join(folder, "index.html"))) await buildLab(folder, (line) => console.error(line));
      const { url } = await serveLab(folder, port);
      console.log(`ness lab: open ${url} (Ctrl-C to stop)`);
      await new Promise<never>(() => {}); // serve until interrupted
    });
}
