/** Every command of the CLI, in the order `--help` lists them. Each file registers one command. */
import type { Command } from 'commander';
import { registerCalibrate } from './calibrate.ts';
import { registerChat } from './chat.ts';
import { registerCompare } from './compare.ts';
import { registerDiagram } from './diagram.ts';
import { registerImport } from './import.ts';
import { registerMerge } from './merge.ts';
import { registerPlan } from './plan.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerScenarios } from './scenarios.ts';
import { registerServe } from './serve.ts';
import { registerValidate } from './validate.ts';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [registerRun, registerReport, registerCompare, registerPlan, registerValidate, registerScenarios, registerDiagram, registerImport, registerMerge, registerCalibrate, registerChat, registerServe];
