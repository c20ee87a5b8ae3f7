package org.tffinetune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportDocumentTest {
  private static ReportDocument document() {
    return new ReportDocument("Title <1>")
        .add(new ReportDocument.Heading(2, "Section"))
        .add(new ReportDocument.Paragraph("a < b & c"))
        .add(
            new ReportDocument.Table(
                List.of("Name", "Value"), List.of(List.of("x|y", "1.5")), List.of(false, true)))
        .add(new ReportDocument.Code("bin/finetune experiment --source '5-9'"))
        .add(new ReportDocument.Image("chart", "img/c.png", new byte[] {1, 2, 3}));
  }

  @Test
  void markdownEscapesPipesAndAlignsNumbers() {
    String md = document().toMarkdown();

    assertEquals(
        "# Title <1>\n\n## Section\n\na < b & c\n\n| Name | Value |\n| --- | ---: |\n"
            + "| x\\|y | 1.5 |\n\n```\nbin/finetune experiment --source '5-9'\n```\n\n"
            + "![chart](img/c.png)\n\n",
        md);
  }

  @Test
  void htmlEscapesTextAndEmbedsImages() {
    String html = document().toHtml();

    assertTrue(html.contains("<title>Title &lt;1&gt;</title>"), html);
    assertTrue(html.contains("<p>a &lt; b &amp; c</p>"), html);
    assertTrue(html.contains("<td>x|y</td><td class=\"num\">1.5</td>"), html);
    assertTrue(html.contains("<img alt=\"chart\" src=\"data:image/png;base64,AQID\">"), html);
    assertTrue(html.startsWith("<!DOCTYPE html>"), html);
  }
}
