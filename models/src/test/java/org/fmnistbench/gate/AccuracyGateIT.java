package org.fmnistbench.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.fmnistbench.baselines.EpochBaselines;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.fleet.RunCost;
import org.fmnistbench.fleet.RunPlan;
import org.fmnistbench.fleet.Shard;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.training.RunDirs;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The accuracy gate: trains every variant and fails when its test accuracy (or, at the smoke
 * tier, its test loss) leaves the recorded band. Run by Failsafe in {@code mvn verify}.
 *
 * <p>System properties: {@code gate.tier} (smoke, the default, or full), {@code gate.variants}
 * (comma-separated ids, default all), {@code gate.engines} (comma-separated, default all three:
 * layer-api, samediff, djl-pytorch), {@code gate.seed} (smoke: the seed to train; default the first recorded
 * one), {@code gate.shard} (full tier: {@code K/N}, this machine's slice of the engine and variant
 * pairs asked for, balanced by expected cost; default all). The runtime configuration is
 * {@code suite.runtime} (default: the suite's default).
 */
class AccuracyGateIT {
  private static final Tier TIER = Tier.byId(System.getProperty("gate.tier", "smoke"));
  private static final Map<Engine, AccuracyGate> GATES = new EnumMap<>(Engine.class);
  private static FashionMnist data;

  private static List<Engine> engines() {
    return Arrays.stream(System.getProperty("gate.engines", "layer-api,samediff,djl-pytorch").split(","))
        .map(String::trim).filter(e -> !e.isEmpty()).map(Engine::byId).distinct().toList();
  }

  private static List<Variant> askedVariants() {
    return Variant.parseList(System.getProperty("gate.variants", "all"));
  }

  static Stream<Arguments> variants() {
    List<Variant> variants = askedVariants();
    return engines().stream().flatMap(e -> variants.stream().map(v -> Arguments.of(e, v)));
  }

  /** The full gate's runs that this machine's {@code gate.shard} takes. */
  private static List<RunPlan.Run> fullShardRuns() {
    Shard shard = Shard.parse(System.getProperty("gate.shard", "1/1"));
    List<RunPlan.Job> jobs = RunPlan.gate(engines(), askedVariants(), AccuracyGate.FULL_SEEDS, Tier.FULL,
        RunCost.of(EpochBaselines.read(Repo.baselinesDir()).rows()));
    return RunPlan.runs(shard.select(jobs, RunPlan.Job::seconds));
  }

  /** Every verdict of this run, written to target/gate-results.json for the nightly job. */
  private static final List<AccuracyGate.Verdict> VERDICTS = new CopyOnWriteArrayList<>();

  @AfterAll
  static void writeResults() throws IOException {
    if (!VERDICTS.isEmpty()) {
      AccuracyGate.writeResults(VERDICTS, Path.of("target", "gate-results.json"));
    }
  }

  @BeforeAll
  static void load() {
    NativeRuntime.configure(); // -Dsuite.runtime (the pom passes it), before ND4J loads
    for (Engine e : Engine.values()) {
      GATES.put(e, new AccuracyGate(Repo.baselinesDir(), e));
    }
    data = FashionMnist.load();
  }

  @ParameterizedTest(name = "smoke {0} {1}")
  @MethodSource("variants")
  void smoke(Engine engine, Variant variant) {
    assumeTrue(TIER == Tier.SMOKE, "gate.tier=" + TIER.id() + ": the smoke tier is not run");
    Optional<Long> seed = Optional.ofNullable(System.getProperty("gate.seed")).filter(s -> !s.isBlank()).map(Long::valueOf);
    report(engine, GATES.get(engine).smoke(variant, seed, data));
  }

  @ParameterizedTest(name = "full {0} {1}")
  @MethodSource("variants")
  void full(Engine engine, Variant variant) {
    assumeTrue(TIER == Tier.FULL, "gate.tier=" + TIER.id() + ": the full tier (hours) runs with -Dgate.tier=full");
    assumeTrue(fullShardRuns().stream().anyMatch(r -> r.engine() == engine && r.variant() == variant),
        engine.id() + " " + variant + " is another shard's (gate.shard=" + System.getProperty("gate.shard") + ")");
    AccuracyGate gate = GATES.get(engine);
    if (!gate.articleHasFigure(variant)) {
      System.out.println(variant + ": the article gives no accuracy; only DL4J's recorded band is checked");
    }
    report(engine, gate.full(variant, AccuracyGate.fullGateRunsDir(RunDirs.defaultRoot()), data));
  }

  private static void report(Engine engine, AccuracyGate.Verdict v) {
    VERDICTS.add(v);
    for (Trainer.RunResult r : v.runs()) {
      System.out.printf(Locale.ROOT, "gate %s %s %s seed %d: accuracy %.4f, loss %.4f, train %.0f s, evaluate %.0f s%n",
          v.tier().id(), engine.id(), v.variant(), r.seed(), r.testAccuracy(), r.testLoss(), r.trainSeconds(), r.evalSeconds());
    }
    List<String> problems = v.problems();
    assertTrue(v.passed(), String.join("; ", problems));
  }
}
