/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` markers. */
export function replaceSection(document: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the document has no ${name} section markers`);
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}
