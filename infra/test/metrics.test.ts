/**
 * The worker's scaling metric: the names infra/ scales on are the names `oms worker` emits in
 * its CloudWatch Embedded Metric Format line (src/jobs/job_metrics.hpp), as contract.test.ts
 * does for environment variables.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METRIC_NAMESPACE, QUEUE_DEPTH_METRIC } from '../lib/compute';
import { REPO_DIR, synth, ofType, type Json } from './helpers';

const header = fs.readFileSync(path.join(REPO_DIR, 'src/jobs/job_metrics.hpp'), 'utf8');
const source = fs.readFileSync(path.join(REPO_DIR, 'src/jobs/job_metrics.cpp'), 'utf8');

function cppConstant(name: string): string {
  const m = header.match(new RegExp(`constexpr const char\\* ${name} = "([^"]+)";`));
  assert.ok(m, `${name} is defined in src/jobs/job_metrics.hpp`);
  return m[1];
}

test('metrics: the EMF namespace, metric and dimension of the worker are the ones infra scales on', () => {
  assert.equal(cppConstant('k_emf_namespace'), METRIC_NAMESPACE);
  assert.equal(cppConstant('k_emf_queue_depth_metric'), QUEUE_DEPTH_METRIC);
  assert.match(source, /\{"Unit", "Count"\}/, 'the EMF metric is emitted with unit Count');

  const prod = synth('prod');
  const alarms = ofType(prod.json.main, 'AWS::CloudWatch::Alarm')
    .map(([, r]) => r.Properties)
    .filter((p: Json) => p.MetricName === QUEUE_DEPTH_METRIC);
  assert.ok(alarms.length >= 2, 'the worker scales out and in on the queue depth');
  const worker = ofType(prod.json.main, 'AWS::ECS::TaskDefinition')
    .flatMap(([, r]) => r.Properties.ContainerDefinitions)
    .find((c: Json) => c.Name === 'worker');
  assert.ok(worker, 'the worker container exists');
  const env = Object.fromEntries((worker.Environment ?? []).map((e: Json) => [e.Name, e.Value]));
  for (const alarm of alarms) {
    assert.equal(alarm.Namespace, cppConstant('k_emf_namespace'));
    assert.deepEqual(
      alarm.Dimensions.map((d: Json) => d.Name),
      [cppConstant('k_emf_dimension')],
      'the only dimension is the one the EMF line declares',
    );
    // The dimension's value is what the worker writes into it: its OMS_ENVIRONMENT.
    assert.equal(alarm.Dimensions[0].Value, env.OMS_ENVIRONMENT);
  }
});
