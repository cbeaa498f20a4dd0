package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.Repo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium or Chrome (Debian's chromium, which .ci/run installs, or the
 * Chrome of GitHub's Ubuntu image; ci/setup-runner installs what apt can give): opened from
 * disk, it must log no console error, render a chart for every series with data, and paint
 * a screenshot that is not blank.
 */
class DashboardChromiumTest {
  /** The first of Chromium's and Chrome's usual names on PATH; a path that does not exist when none is. */
  private static final Path CHROMIUM = Stream.of("chromium", "chromium-browser", "google-chrome",
          "google-chrome-stable")
      .flatMap(name -> Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, name)))
      .filter(Files::isExecutable).findFirst().orElse(Path.of("/nonexistent/chromium"));
  private static final String FLAG = "trainStep/cnn/layer-api/default/b32: REGRESSION, 10000.0 -> 12000.0 us/sample (+20.0 %)";
  @TempDir Path tmp;
  private Path html;

  @BeforeEach
  void generate() throws Exception {
    History h = new History(tmp.resolve("history"));
    Synthetic.run(h, tmp, 1, 10_000, 0.02, "AMD EPYC", "cpu");
    Synthetic.run(h, tmp, 2, 10_500, 0.02, "AMD EPYC", "cpu");
    Synthetic.run(h, tmp, 3, 9_800, 0.02, "AMD EPYC", "cpu");
    Synthetic.run(h, tmp, 2, 300, 0.02, "Intel Xeon", "cuda");
    // a fourth run that the detector flagged: the page must mark it and say why
    Path dir = Files.createDirectories(tmp.resolve("flagged"));
    h.append(Synthetic.jmh(dir.resolve("jmh.json"), Map.of("CNN", 12_000.0, "MLP", 200.0), 0.02, 4),
        Synthetic.metadata(dir.resolve("meta.json"), String.format("%040d", 4), "2026-11-04T03:00:00Z", "AMD EPYC", "cpu"),
        Optional.empty(), List.of(new RecordedFinding("trainStep/cnn/layer-api/default/b32", "REGRESSION", 0.2, FLAG)));
    Path out = tmp.resolve("dashboard");
    Dashboard.write(h, ArticleFigures.read(Repo.baselinesDir()), out);
    html = out.resolve(Dashboard.HTML);
  }

  private List<String> chromium(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp, "profile"),
        "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--window-size=1400,1800"));
    cmd.addAll(List.of(args));
    cmd.add(html.toUri().toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
    return out.lines().toList();
  }

  /** Whether a browser is here; in CI its absence is an error, not a skip (.ci/run installs Chromium). */
  private static boolean chromiumHere() {
    boolean here = Files.isExecutable(CHROMIUM);
    if (!here && System.getenv("CI") != null) {
      throw new AssertionError("Chromium is required in CI (.ci/run installs Debian's)");
    }
    return here;
  }

  @Test
  void rendersChartsWithDataAndNoConsoleErrors() throws Exception {
    assumeTrue(chromiumHere(), "no Chromium or Chrome on PATH (Debian: apt-get install chromium)");
    List<String> dom = chromium("--dump-dom");
    List<String> errors = dom.stream()
        .filter(l -> l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught") || l.contains("Error")))
        .toList();
    assertEquals(List.of(), errors, "console errors");
    String page = String.join("\n", dom);
    Matcher m = Pattern.compile("data-charts-rendered=\"(\\d+)\"").matcher(page);
    assertTrue(m.find(), "the page script ran to the end");
    // cnn and mlp each have training, inference and accuracy series: 6 charts with data.
    assertEquals(6, Integer.parseInt(m.group(1)));
    assertTrue(page.contains("Tesla K80 (Colab) (article, Keras epoch)"), "the generations table");
    Matcher flagged = Pattern.compile("data-flagged-points=\"(\\d+)\"").matcher(page);
    assertTrue(flagged.find(), "the page counted flagged points");
    assertEquals(1, Integer.parseInt(flagged.group(1)), "the flagged run is marked on its chart");
    assertTrue(page.contains(FLAG.replace(">", "&gt;")), "the flagged-runs table says why");

    // Kept in target/ for a person to look at.
    Path png = Files.createDirectories(Path.of("target")).resolve("dashboard-screenshot.png").toAbsolutePath();
    chromium("--screenshot=" + png);
    BufferedImage img = ImageIO.read(png.toFile());
    long coloured = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          coloured++; // chart lines and points are saturated; text and tables are grey
        }
      }
    }
    assertTrue(coloured > 500, "the screenshot shows coloured chart data, found " + coloured + " coloured pixels");
  }
}
