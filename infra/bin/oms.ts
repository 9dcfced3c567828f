#!/usr/bin/env node
/**
 * cdk app entry point: `cdk synth -c stage=dev|staging|prod` (cdk.json defaults to dev).
 * Optional context: region (default us-east-1), replicaRegion (default us-west-2).
 */
import { App } from 'aws-cdk-lib';
import { addStage } from '../lib/app';

const app = new App();
addStage(app, String(app.node.tryGetContext('stage') ?? 'dev'));
app.synth();
