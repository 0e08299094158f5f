#!/usr/bin/env node
// Runs the TypeScript CLI without a build step.
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
require('./cli.ts');
