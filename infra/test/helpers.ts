/**
 * Shared by the tests: synthesizes a stage's three stacks in-process, offline, once per
 * test process, with the context of cdk.json and fixed regions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { addStage, type OmsApp } from '../lib/app';
import type { StageName } from '../lib/config';

export const INFRA_DIR = path.resolve(__dirname, '..');
export const REPO_DIR = path.resolve(INFRA_DIR, '..');

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Resources = Record<string, { Type: string; Properties?: Json; Condition?: string; DependsOn?: Json }>;

export interface Synthesized extends OmsApp {
  readonly templates: { main: Template; replica: Template; registry: Template };
  readonly json: { main: Json; replica: Json; registry: Json };
  readonly outdir: string;
}

// CDK's built-in CloudFormation template validation costs ~6 s of CPU per synthesis; test.sh
// runs it (with cdk-nag) in its `cdk synth` of every stage, so the unit tests skip it.
process.env.CDK_VALIDATION ??= 'false';

const cache = new Map<string, Synthesized>();
const outdirs: string[] = [];
process.on('exit', () => {
  for (const d of outdirs) fs.rmSync(d, { recursive: true, force: true });
});

export function cdkContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(INFRA_DIR, 'cdk.json'), 'utf8'));
  return cdkJson.context ?? {};
}

/** Synthesizes `stage` (without the cdk-nag plugin unless `nag`), cached per process. */
export function synth(stage: StageName, options: { nag?: boolean } = {}): Synthesized {
  const nag = options.nag ?? false;
  const key = `${stage}:${nag}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `oms-cdk-${stage}-`));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    // Path metadata as the CLI adds it (the environment test keys resources by construct path).
    context: { ...cdkContext(), 'aws:cdk:enable-path-metadata': true, stage, region: 'us-east-1', replicaRegion: 'us-west-2' },
  });
  const built = addStage(app, stage, { nag });
  const assembly = app.synth();
  const read = (s: Stack) => JSON.parse(fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8'));
  const json = { main: read(built.main), replica: read(built.replica), registry: read(built.registry) };
  const result: Synthesized = {
    ...built,
    outdir: assembly.directory,
    json,
    templates: {
      main: Template.fromJSON(json.main),
      replica: Template.fromJSON(json.replica),
      registry: Template.fromJSON(json.registry),
    },
  };
  cache.set(key, result);
  return result;
}

/** Resources of `type` in a template, as [logicalId, resource] pairs. */
export function ofType(template: Json, type: string): [string, Json][] {
  return Object.entries(template.Resources as Resources).filter(([, r]) => r.Type === type);
}

/** The one resource of `type` whose properties satisfy `pick`. */
export function one(template: Json, type: string, pick: (props: Json, id: string) => boolean = () => true): [string, Json] {
  const found = ofType(template, type).filter(([id, r]) => pick(r.Properties ?? {}, id));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type} matching, found ${found.length}: ${found.map(([id]) => id).join(', ')}`);
  }
  return found[0];
}

/** `{ Ref: id }` */
export const ref = (id: string) => ({ Ref: id });

/** Logical id of a construct's CloudFormation resource (or of the construct itself). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(element).resolve(element.logicalId) as string;
}

/** Tags of a resource as a plain object, whichever CloudFormation shape it uses. */
export function tagsOf(resource: Json): Record<string, string> {
  const tags = resource.Properties?.Tags ?? resource.Properties?.tags;
  if (!tags) return {};
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t: Json) => [t.Key, t.Value]));
  return tags as Record<string, string>;
}

/** JSON.stringify for "does this structure mention X" checks. */
export const text = (x: unknown) => JSON.stringify(x);
