/** `welfare-sim diagram`: the conversation statechart drawn from its own definition (guards on the edges). */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { InputError } from '../../common/input-error.ts';
import type { DiagramFormat } from '../../report/diagram/render-diagram.ts';
import { DIAGRAM_FORMATS } from '../../report/diagram/diagram-formats.ts';

interface DiagramFlags {
  format: DiagramFormat;
  out?: string;
}

export function registerDiagram(program: Command): void {
  program
    .command('diagram')
    .description('Draw the conversation statechart (states, transitions, guards) as SVG, PNG, Graphviz DOT or Mermaid.')
    .addOption(new Option('--format <format>', 'output format').choices(DIAGRAM_FORMATS).default('svg'))
    .option('--out <file>', 'write to this file instead of standard output (required for png)')
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim diagram --out docs/diagram.svg
  $ welfare-sim diagram --format png --out statechart.png
  $ welfare-sim diagram --format mermaid`,
    )
    .action(async (flags: DiagramFlags) => {
      if (flags.format === 'png' && flags.out === undefined) {
        throw InputError.one('--out', '', 'expected a file to write the PNG to (it is binary), found none');
      }
      const [{ renderDiagram }, { conversationMachine }] = await Promise.all([
        import('../../report/diagram/render-diagram.ts'),
        import('../../../machines/conversation.ts'),
      ]);
      const rendered = await renderDiagram(conversationMachine, flags.format);
      if (flags.out !== undefined) writeFileSync(flags.out, rendered);
      else process.stdout.write(rendered);
    });
}
