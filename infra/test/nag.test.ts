/**
 * cdk-nag's AwsSolutions pack: zero unacknowledged findings (errors or warnings) in every
 * stage, every acknowledgement with a real reason, and no acknowledgement left over that
 * no longer matches a finding.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { STAGES } from '../lib/config';
import { synth } from './helpers';

interface Finding { rule: string; path: string; severity: string }
interface Ack { rule: string; path: string; reason: string }

function findings(app: App, honourAcknowledgements: boolean): Finding[] {
  const pack = new AwsSolutionsChecks(undefined, { verbose: false });
  if (!honourAcknowledgements) {
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  }
  const report = pack.validateScope(app);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '?', severity: v.severity ?? 'error' })));
}

function acknowledgements(root: IConstruct): Ack[] {
  const out: Ack[] = [];
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          out.push({ rule: id.replace(/^[A-Za-z]+::/, ''), path: c.node.path, reason });
        }
      }
    }
    c.node.children.forEach(visit);
  };
  visit(root);
  return out;
}

const under = (path: string, ancestor: string) => path === ancestor || path.startsWith(`${ancestor}/`);

for (const stage of STAGES) {
  test(`cdk-nag AwsSolutions: ${stage} has no unacknowledged finding`, () => {
    const { app } = synth(stage);
    const open = findings(app, true);
    assert.deepEqual(open.map((f) => `${f.severity} ${f.rule} at ${f.path}`), []);
  });

  test(`cdk-nag AwsSolutions: ${stage} acknowledgements are real, reasoned and used`, (t) => {
    const { app } = synth(stage);
    const raw = findings(app, false);
    const acks = acknowledgements(app).filter((a) => a.rule.startsWith('AwsSolutions-'));
    assert.ok(raw.length > 0, 'the pack ran');
    for (const a of acks) {
      assert.ok(a.reason.length >= 60 && !/todo|tbd|fixme/i.test(a.reason), `${a.rule} at ${a.path}: give a real reason`);
    }
    const stale = acks.filter((a) => !raw.some((f) => f.rule === a.rule && under(f.path, a.path)));
    assert.deepEqual(stale.map((a) => `${a.rule} at ${a.path}`), [], 'acknowledgements that match no finding');
    if (stage === 'prod') {
      const rules = [...new Set(acks.map((a) => a.rule))].sort();
      t.diagnostic(`prod: ${raw.length} findings, all acknowledged by ${acks.length} acknowledgements of ${rules.length} rules: ${rules.join(', ')}`);
    }
  });
}
