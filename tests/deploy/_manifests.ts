/**
 * Test helpers for deploy/: reads the Kubernetes manifests (YAML, several documents per file) and
 * validates each against the Kubernetes OpenAPI schemas that npm `kubernetes-models` compiles
 * (the same schemas `kubectl --validate` uses), and reads a command's flags from its `--help`.
 */
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Service } from "kubernetes-models/v1/Service";

/** The repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The kinds deploy/k8s/ may use, each with its schema-checked model class. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1 Deployment": Deployment,
  "autoscaling/v2 HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "batch/v1 Job": Job,
  "v1 PersistentVolumeClaim": PersistentVolumeClaim,
  "v1 Service": Service,
};

/** One YAML document of a manifest file: where it came from, and its plain data. */
export interface Manifest {
  /** e.g. `deploy/k8s/serve-deployment.yaml#1` (documents counted from 1). */
  where: string;
  // deno-lint-ignore no-explicit-any
  doc: any;
}

/** Parses every document of a YAML text; a syntax error names the file, line and column. */
export function parseManifests(text: string, file: string): Manifest[] {
  return parseAllDocuments(text).map((document, i) => {
    const error = document.errors[0];
    if (error) {
      const [line, col] = error.linePos?.[0]
        ? [error.linePos[0].line, error.linePos[0].col]
        : [0, 0];
      throw new SyntaxError(
        `Cannot parse ${file} at line ${line}, column ${col}: ${error.message}`,
      );
    }
    return { where: `${file}#${i + 1}`, doc: document.toJSON() };
  });
}

/** Every document of every `*.yaml` file under deploy/k8s/, in file-name order. */
export async function readManifests(dir = `${ROOT}deploy/k8s`): Promise<Manifest[]> {
  const files = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".yaml"))
    .map((e) => e.name).sort();
  const all: Manifest[] = [];
  for (const name of files) {
    all.push(...parseManifests(await Deno.readTextFile(`${dir}/${name}`), `deploy/k8s/${name}`));
  }
  return all;
}

/**
 * Validates one document against its kind's schema. Throws a `TypeError` naming the document and
 * the first failing field paths, e.g. `deploy/k8s/x.yaml#1 (apps/v1 Deployment) is not valid:
 * data/spec/replicas must be integer`.
 */
export function validateManifest({ where, doc }: Manifest): void {
  const key = `${doc?.apiVersion} ${doc?.kind}`;
  const Model = MODELS[key];
  if (Model === undefined) {
    throw new TypeError(
      `${where}: no schema for "${key}"; expected one of ${Object.keys(MODELS).join(", ")}`,
    );
  }
  try {
    new Model(doc as never).validate();
  } catch (err) {
    throw new TypeError(`${where} (${key}) is not valid: ${(err as Error).message}`);
  }
}

/** The `--flags` a `deno task NAME --help` lists (`--no-X` is read as X's negation). */
export async function helpFlags(command: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}main.ts`, command, "--help"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) throw new Error(`${command} --help exited ${out.code}: ${text}`);
  return new Set([...text.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!));
}

/** The `--flag` names in an argument list, without the dashes. */
export function argFlags(args: string[]): string[] {
  return args.filter((a) => a.startsWith("--")).map((a) => a.slice(2));
}

/** The value after `--flag` in an argument list. */
export function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(`--${flag}`);
  return i >= 0 ? args[i + 1] : undefined;
}
