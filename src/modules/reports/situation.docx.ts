/**
 * The 情况报告 as a Word document (docx@9): A4 with the margins of an official document (GB/T 9704: 37/35/28/26
 * mm), the body in 仿宋 三号 (16 pt) at a fixed 28 pt line, headings bold, every paragraph indented two characters,
 * page numbers centred in the footer ("— 1 —"). The East Asian font is set on every run (eastAsia), so Word on
 * the bureau's Windows machines uses 仿宋 and LibreOffice falls back to the installed CJK font. Placeholders
 * (【请填写：…】) are highlighted in yellow for the bureau to replace.
 */
import { AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import { PLACEHOLDER, type SituationReport } from '../../domain/reports/situation.ts';

/** 1 mm in twips (1/1440 inch). */
const MM = 1440 / 25.4;
const A4 = { width: Math.round(210 * MM), height: Math.round(297 * MM) };
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋', cs: '仿宋' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体', cs: '黑体' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: '宋体' };
/** Half-points: 三号 = 16 pt, 二号 = 22 pt, 四号 = 14 pt. */
const BODY_SIZE = 32;
const TITLE_SIZE = 44;
const NOTE_SIZE = 28;
const LINE = { line: 560, lineRule: LineRuleType.EXACT };
/** Two characters of 16 pt (for readers that ignore firstLineChars). */
const INDENT = { firstLine: 640, firstLineChars: 200 };

/** A paragraph's runs: placeholders highlighted, the rest plain; one run per piece, so text stays searchable. */
function runs(
  text: string,
  opts: { bold?: boolean; size?: number; font?: typeof BODY_FONT } = {},
): TextRun[] {
  const out: TextRun[] = [];
  let last = 0;
  const base = { bold: opts.bold ?? false, size: opts.size ?? BODY_SIZE, font: opts.font ?? BODY_FONT };
  for (const m of text.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    if (at > last) out.push(new TextRun({ ...base, text: text.slice(last, at) }));
    out.push(new TextRun({ ...base, text: m[0], highlight: 'yellow' }));
    last = at + m[0].length;
  }
  if (last < text.length) out.push(new TextRun({ ...base, text: text.slice(last) }));
  return out;
}

function body(text: string): Paragraph {
  return new Paragraph({
    children: runs(text),
    alignment: AlignmentType.JUSTIFIED,
    indent: INDENT,
    spacing: LINE,
  });
}

function heading(text: string, level: 1 | 2): Paragraph {
  return new Paragraph({
    children: runs(text, { bold: true, font: level === 1 ? HEADING_FONT : BODY_FONT }),
    indent: INDENT,
    spacing: LINE,
    keepNext: true,
  });
}

export async function renderSituationDocx(
  report: SituationReport & { note: string; month: string },
): Promise<Buffer> {
  const children: Paragraph[] = [
    new Paragraph({
      children: [new TextRun({ text: report.title, bold: true, size: TITLE_SIZE, font: TITLE_FONT })],
      alignment: AlignmentType.CENTER,
      spacing: { line: 700, lineRule: LineRuleType.AT_LEAST, after: 560 },
    }),
    ...report.preamble.map(body),
  ];
  for (const s of report.sections) {
    children.push(heading(s.heading, s.level));
    for (const p of s.paragraphs) children.push(body(p));
  }
  children.push(
    new Paragraph({
      children: runs(report.note, { size: NOTE_SIZE }),
      indent: { firstLine: 560, firstLineChars: 200 },
      spacing: { before: 560, line: 400, lineRule: LineRuleType.AT_LEAST },
    }),
  );
  const doc = new Document({
    creator: 'jiuzhu',
    title: report.title,
    styles: {
      default: {
        document: { run: { font: BODY_FONT, size: BODY_SIZE }, paragraph: { spacing: LINE } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: A4,
            margin: {
              top: Math.round(37 * MM),
              bottom: Math.round(35 * MM),
              left: Math.round(28 * MM),
              right: Math.round(26 * MM),
              footer: Math.round(20 * MM),
            },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 28, font: BODY_FONT }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
