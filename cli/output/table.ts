/** Display width of a string in a terminal: CJK and full-width characters take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  // Colour codes take no column.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what we strip
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) {
    const code = ch.codePointAt(0) ?? 0;
    width += code >= 0x1100 && /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2e80-\u2fdf]/u.test(ch) ? 2 : 1;
  }
  return width;
}

const padEnd = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** A plain-text table whose columns line up even with Chinese text. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => padEnd(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
