/** Types for log-line.mjs (imported by test/start-log-line.test.ts). */
export declare function wantsColor(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
): boolean;
export declare function paint(text: string, color: string | undefined, colors: boolean): string;
export declare function prefix(label: string, color: string, colors: boolean): string;
export declare function formatLine(
  label: string,
  color: string,
  line: string,
  colors: boolean,
): string;
