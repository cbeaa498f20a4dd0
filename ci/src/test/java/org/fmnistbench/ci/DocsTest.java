package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * Every Markdown file of the project, rendered as CommonMark (GitHub's dialect is a superset):
 * its relative links lead to files that exist, and no command block is swallowed into the
 * paragraph before it (an indented block cannot interrupt a paragraph, so a command block whose
 * first line lost its indentation renders as one run-on paragraph).
 */
class DocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Parser PARSER = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

  static List<String> problems(Path file, String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    Node doc = PARSER.parse(text);
    doc.accept(new AbstractVisitor() {
      @Override
      public void visit(Link link) {
        String dest = link.getDestination();
        if (!dest.isEmpty() && !dest.startsWith("#") && !dest.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          String path = URLDecoder.decode(dest.replaceFirst("#.*$", ""), StandardCharsets.UTF_8);
          if (!Files.exists(file.getParent().resolve(path))) {
            out.add(file + ": link to " + dest + ", which does not exist");
          }
        }
        visitChildren(link);
      }

      @Override
      public void visit(Paragraph paragraph) {
        List<SourceSpan> spans = paragraph.getSourceSpans();
        if (!spans.isEmpty()) {
          int base = indent(lines[spans.get(0).getLineIndex()]);
          for (SourceSpan span : spans.subList(1, spans.size())) {
            String line = lines[span.getLineIndex()];
            if (indent(line) >= base + 4) {
              out.add(file + ":" + (span.getLineIndex() + 1) + ": an indented line inside a paragraph (a code block "
                  + "whose first line is not indented, or that follows text without a blank line): " + line.strip());
            }
          }
        }
        visitChildren(paragraph);
      }
    });
    return out;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> tree = Files.walk(ROOT)) {
      return tree.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> Stream.of(".git", "target", "node_modules").noneMatch(skip -> ROOT.relativize(p).toString()
              .startsWith(skip + "/") || ROOT.relativize(p).toString().contains("/" + skip + "/")))
          .sorted().toList();
    }
  }

  @Test
  void everyDocumentRendersWithWorkingLinksAndCommandBlocks() throws IOException {
    List<Path> files = markdownFiles();
    assertTrue(files.size() > 10, files.toString());
    List<String> problems = new ArrayList<>();
    for (Path f : files) {
      problems.addAll(problems(f, Files.readString(f)));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void aSwallowedCommandBlockAndABrokenLinkAreCaught() {
    Path file = ROOT.resolve("docs/example.md");
    List<String> found = problems(file, "Run these:\n    ./suite variants\n\nSee [the guide](nowhere.md) and "
        + "[setup](setup.md).\n\n- a list item\n  with a continuation\n\n    ./suite train   # a real block\n");
    assertEquals(2, found.size(), found.toString());
    assertTrue(found.get(0).contains("nowhere.md") || found.get(1).contains("nowhere.md"), found.toString());
    assertTrue(found.stream().anyMatch(p -> p.contains("./suite variants")), found.toString());
  }
}
