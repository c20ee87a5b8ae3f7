package org.tffinetune.experiments;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A report as a list of blocks that renders to Markdown and to a self-contained HTML page with the
 * same content, so the two formats cannot drift apart. HTML embeds each image as a base64 {@code
 * data:} URI, and Markdown links the PNG file beside the report.
 */
final class ReportDocument {
  /** A part of the report. */
  sealed interface Block permits Heading, Paragraph, Bullets, Code, Table, Image {}

  /** A section title, where level 1 is the page title. */
  record Heading(int level, String text) implements Block {}

  /** A paragraph of plain text. */
  record Paragraph(String text) implements Block {}

  /** A bulleted list of plain-text items. */
  record Bullets(List<String> items) implements Block {}

  /** Preformatted text, such as a command line. */
  record Code(String text) implements Block {}

  /** A table, with {@code numeric} marking the columns to align right. */
  record Table(List<String> header, List<List<String>> rows, List<Boolean> numeric)
      implements Block {}

  /** A PNG image stored at {@code path}, relative to the report. */
  record Image(String alt, String path, byte[] png) implements Block {}

  private final String title;
  private final List<Block> blocks = new ArrayList<>();

  ReportDocument(String title) {
    this.title = title;
    blocks.add(new Heading(1, title));
  }

  ReportDocument add(Block block) {
    blocks.add(block);
    return this;
  }

  List<Block> blocks() {
    return List.copyOf(blocks);
  }

  /** Renders the report as GitHub-flavoured Markdown. */
  String toMarkdown() {
    StringBuilder md = new StringBuilder();
    for (Block block : blocks) {
      appendMarkdown(md, block);
      md.append('\n');
    }
    return md.toString();
  }

  private static void appendMarkdown(StringBuilder md, Block block) {
    if (block instanceof Heading h) {
      md.append("#".repeat(h.level())).append(' ').append(h.text()).append('\n');
    } else if (block instanceof Paragraph p) {
      md.append(p.text()).append('\n');
    } else if (block instanceof Bullets b) {
      b.items().forEach(item -> md.append("- ").append(item).append('\n'));
    } else if (block instanceof Code c) {
      md.append("```\n").append(c.text()).append("\n```\n");
    } else if (block instanceof Table t) {
      appendMarkdownTable(md, t);
    } else if (block instanceof Image i) {
      md.append("![").append(i.alt()).append("](").append(i.path()).append(")\n");
    }
  }

  private static void appendMarkdownTable(StringBuilder md, Table table) {
    md.append("| ").append(String.join(" | ", escapeCells(table.header()))).append(" |\n|");
    for (boolean numeric : table.numeric()) {
      md.append(numeric ? " ---: |" : " --- |");
    }
    md.append('\n');
    for (List<String> row : table.rows()) {
      md.append("| ").append(String.join(" | ", escapeCells(row))).append(" |\n");
    }
  }

  private static List<String> escapeCells(List<String> cells) {
    return cells.stream().map(c -> c.replace("|", "\\|")).toList();
  }

  /** Renders the report as one HTML page with its images embedded. */
  String toHtml() {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;")
        .append("line-height:1.4;color:#222}\n")
        .append("table{border-collapse:collapse;margin:1em 0}\n")
        .append("th,td{border:1px solid #ccc;padding:.25em .6em}th{background:#f3f3f3}\n")
        .append("td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append("pre{background:#f6f6f6;padding:.6em;overflow-x:auto}\n")
        .append("img{max-width:100%}\n")
        .append("</style>\n</head>\n<body>\n");
    for (Block block : blocks) {
      appendHtml(html, block);
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void appendHtml(StringBuilder html, Block block) {
    if (block instanceof Heading h) {
      html.append(String.format("<h%d>%s</h%d>%n", h.level(), escape(h.text()), h.level()));
    } else if (block instanceof Paragraph p) {
      html.append("<p>").append(escape(p.text())).append("</p>\n");
    } else if (block instanceof Bullets b) {
      html.append("<ul>\n");
      b.items().forEach(item -> html.append("<li>").append(escape(item)).append("</li>\n"));
      html.append("</ul>\n");
    } else if (block instanceof Code c) {
      html.append("<pre><code>").append(escape(c.text())).append("</code></pre>\n");
    } else if (block instanceof Table t) {
      appendHtmlTable(html, t);
    } else if (block instanceof Image i) {
      html.append("<p><img alt=\"")
          .append(escape(i.alt()))
          .append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(i.png()))
          .append("\"></p>\n");
    }
  }

  private static void appendHtmlTable(StringBuilder html, Table table) {
    html.append("<table>\n<thead><tr>");
    for (String cell : table.header()) {
      html.append("<th>").append(escape(cell)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : table.rows()) {
      html.append("<tr>");
      for (int c = 0; c < row.size(); c++) {
        html.append(table.numeric().get(c) ? "<td class=\"num\">" : "<td>")
            .append(escape(row.get(c)))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  /** Escapes the characters that HTML text and attribute values reserve. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
