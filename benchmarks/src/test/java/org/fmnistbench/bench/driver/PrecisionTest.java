package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.bench.InferenceBenchmarks;
import org.fmnistbench.bench.Precision;
import org.fmnistbench.bench.TrainStepBenchmarks;
import org.fmnistbench.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import picocli.CommandLine;

/** How a precision level, explicit counts and the pom's empty properties become JMH's arguments. */
class PrecisionTest {
  private static List<String> args(String... options) {
    BenchDriver.Run run = new BenchDriver.Run();
    BenchDriver.commandLine(run).parseArgs(options);
    return run.options.jmhArguments(List.of(TrainStepBenchmarks.class.getName()), Backend.CPU, RuntimeConfig.DEFAULT,
        Path.of("out.json"));
  }

  private static String after(List<String> args, String flag) {
    return args.get(args.indexOf(flag) + 1);
  }

  @Test
  void quickIsWhatTheAnnotationsSay() {
    List<String> a = args("--forks=", "--iterations=", "--time=", "--warmup-iterations=", "--warmup-time=");
    assertFalse(a.contains("-f") || a.contains("-i") || a.contains("-wi"), "quick leaves the counts to the annotations: " + a);
    for (Class<?> c : List.of(TrainStepBenchmarks.class, InferenceBenchmarks.class)) {
      assertEquals(Precision.QUICK.forks(), c.getAnnotation(Fork.class).value());
      assertEquals(Precision.QUICK.iterations(), c.getAnnotation(Measurement.class).iterations());
      assertEquals(Precision.QUICK.seconds(), c.getAnnotation(Measurement.class).time());
      assertEquals(Precision.QUICK.warmupIterations(), c.getAnnotation(Warmup.class).iterations());
      assertEquals(Precision.QUICK.warmupSeconds(), c.getAnnotation(Warmup.class).time());
    }
    assertTrue(Precision.QUICK.forks() >= 3, "an interval over fork means needs forks");
  }

  @Test
  void preciseSetsEveryCountAndExplicitCountsWin() {
    List<String> a = args("--precision=precise", "--forks=");
    assertEquals(String.valueOf(Precision.PRECISE.forks()), after(a, "-f"));
    assertEquals(String.valueOf(Precision.PRECISE.iterations()), after(a, "-i"));
    assertEquals(Precision.PRECISE.seconds() + "s", after(a, "-r"));
    List<String> b = args("--precision=precise", "--forks=5", "--time=7");
    assertEquals("5", after(b, "-f"));
    assertEquals("7s", after(b, "-r"));
    assertEquals(String.valueOf(Precision.PRECISE.iterations()), after(b, "-i"));
  }

  @Test
  void reportsSpellTheRepetitionOptionsTheyRanWith() {
    BenchDriver.Run plain = new BenchDriver.Run();
    BenchDriver.commandLine(plain).parseArgs("--forks=", "--iterations=");
    assertEquals("", plain.options.repetitionOptions(), "nothing given, nothing to repeat");
    BenchDriver.Run set = new BenchDriver.Run();
    BenchDriver.commandLine(set).parseArgs("--precision=precise", "--forks=3", "--warmup-iterations=5", "--warmup-time=2",
        "--iterations=3", "--time=2", "--batch-sizes=16,32");
    assertEquals(" --precision precise --forks 3 --warmup-iterations 5 --warmup-time 2 --iterations 3 --time 2 --batch-sizes 16,32",
        set.options.repetitionOptions());
  }

  @Test
  void badValuesAreRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> args("--precision=exact"));
    assertTrue(e.getMessage().contains("valid: quick, precise"), e.getMessage());
    CommandLine.ParameterException p = assertThrows(CommandLine.ParameterException.class, () -> args("--forks=three"));
    assertTrue(p.getMessage().contains("expected a whole number of at least 1, or nothing"), p.getMessage());
    CommandLine.ParameterException noFork = assertThrows(CommandLine.ParameterException.class, () -> args("--forks=0"));
    assertTrue(noFork.getMessage().contains("--forks (bench.forks): expected a whole number of at least 1, or nothing, got '0'"),
        noFork.getMessage());
    assertThrows(CommandLine.ParameterException.class, () -> args("--time=0"));
    assertThrows(CommandLine.ParameterException.class, () -> args("--iterations=0"));
    assertEquals(" --warmup-iterations 0", runWith("--warmup-iterations=0").options.repetitionOptions(), "no warm-up is a choice");
    assertTrue(args("--batch-sizes=32,16,32").contains("batchSize=32,16"), "a batch size named twice is measured once");
  }

  private static BenchDriver.Run runWith(String arg) {
    BenchDriver.Run run = new BenchDriver.Run();
    BenchDriver.commandLine(run).parseArgs(arg);
    return run;
  }
}
