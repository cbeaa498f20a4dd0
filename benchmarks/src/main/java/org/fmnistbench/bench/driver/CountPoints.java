package org.fmnistbench.bench.driver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fmnistbench.bench.count.PointCounter;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.variants.Variant;
import picocli.CommandLine.Option;

/** Which points a counting command counts: variants x engines x benchmarks, at one batch size. */
final class CountPoints {
  @Option(names = "--variants", description = "Comma-separated variant ids, or 'all' (default ${DEFAULT-VALUE}).")
  String variants;

  @Option(names = "--engines", description = "Comma-separated engines (default: DL4J's, layer-api and samediff).")
  String engines = "";

  @Option(names = "--benchmarks", description = "Comma-separated: train, inference (default ${DEFAULT-VALUE}).")
  String benchmarks = "train,inference";

  @Option(names = "--batch-size", description = "Samples per operation (default ${DEFAULT-VALUE}, the article's).")
  int batchSize = 32;

  CountPoints(String defaultVariants) {
    this.variants = defaultVariants;
  }

  CountPoints() {
    this("all");
  }

  /** The chosen points, rejecting unknown names before anything runs. */
  List<PointCounter.Spec> specs() {
    List<String> engineIds = Arrays.stream((engines.isBlank() ? Engine.dl4jIds() : engines).split(","))
        .map(String::trim).filter(e -> !e.isEmpty()).map(e -> Engine.byId(e).id()).distinct().toList();
    BenchDriver.requireAtLeast("--batch-size", batchSize, 1);
    List<PointCounter.Spec> out = new ArrayList<>();
    for (String b : benchmarks.split(",")) {
      String method = switch (b.trim()) {
        case "train" -> "trainStep";
        case "inference" -> "inference";
        default -> throw new IllegalArgumentException("--benchmarks takes train and inference, got '" + b.trim() + "'");
      };
      for (Variant v : Variant.parseList(variants)) {
        for (String e : engineIds) {
          out.add(new PointCounter.Spec(method, v.id(), e, batchSize));
        }
      }
    }
    return out;
  }
}
