/** The formats `welfare-sim diagram` writes; apart from the renderer so the CLI can list them without loading it. */
export const DIAGRAM_FORMATS = ['svg', 'png', 'dot', 'mermaid'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];
