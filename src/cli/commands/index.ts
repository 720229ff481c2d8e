/** Every command of the CLI, in the order `--help` lists them. Each file registers one command. */
import type { Command } from 'commander';
import { registerCalibrate } from './calibrate.ts';
import { registerChat } from './chat.ts';
import { registerCompare } from './compare.ts';
import { registerDiagram } from './diagram.ts';
import { registerExport } from './export.ts';
import { registerImport } from './import.ts';
import { registerInit } from './init.ts';
import { registerMerge } from './merge.ts';
import { registerPlan } from './plan.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerScenarios } from './scenarios.ts';
import { registerServe } from './serve.ts';
import { registerSql } from './sql.ts';
import { registerTune } from './tune.ts';
import { registerValidate } from './validate.ts';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [registerRun, registerReport, registerCompare, registerPlan, registerTune, registerCalibrate, registerExport, registerSql, registerValidate, registerScenarios, registerDiagram, registerInit, registerImport, registerMerge, registerChat, registerServe];
