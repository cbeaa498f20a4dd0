package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each typed result's one reader refuses what is not its file, naming the file, what it expected
 * and what is wrong: nothing, null, a file cut off, another shape of JSON, a record without a field
 * every file of the kind has. Before, most of these read as empty results or as records of nulls
 * that failed later, far from the file.
 */
class ResultReadersTest {
  @TempDir
  Path tmp;

  @FunctionalInterface
  interface Reader {
    Object read(Path file) throws IOException;
  }

  static Stream<Arguments> refusals() {
    Reader counts = CountResults::read;
    Reader drill = CountDrill::read;
    Reader metadata = RunMetadata::read;
    Reader gate = GateResult::read;
    Reader jmh = JmhJson::read;
    String countsFile = "is not a counting run's counts-<jit>.json (BenchDriver count's results): ";
    String drillFile = "is not a count drill's file (BenchDriver count-drill's results): ";
    String metadataFile = "is not run metadata (metadata-<label>.json as the bench driver writes it): ";
    String gateFile = "is not the gate's results (gate-results.json, a list of runs): ";
    String jmhFile = "is not JMH's JSON result (-rf json, an array of benchmark records): ";
    return Stream.of(
        Arguments.of(counts, "", countsFile + "No content to map due to end-of-input"),
        Arguments.of(counts, "null", countsFile + "it holds null"),
        Arguments.of(counts, "{\"setting\": {", countsFile + "Unexpected end-of-input"),
        Arguments.of(counts, "[]", countsFile + "Cannot deserialize value of type `org.fmnistbench.results.CountResults`"),
        Arguments.of(counts, "{\"points\": []}", countsFile + "Missing required creator property 'setting'"),
        Arguments.of(counts, "{\"setting\": {\"commit\": \"a\", \"cpu\": \"AMD EPYC\"}, \"points\": []}",
            countsFile + "Missing required creator property 'jit'"),
        Arguments.of(counts, "{\"setting\": {\"commit\": \"a\", \"jit\": \"c1\", \"cpu\": \"AMD EPYC\"}, \"points\": "
            + "[{\"benchmark\": \"trainStep\", \"variant\": \"cnn\", \"engine\": \"layer-api\", \"status\": \"ok\"}]}",
            countsFile + "Missing required creator property 'batch_size'"),
        Arguments.of(drill, "null", drillFile + "it holds null"),
        Arguments.of(drill, "{}", drillFile + "Missing required creator property 'commit'"),
        Arguments.of(drill, "{\"commit\": \"a\", \"cpu\": \"x\", \"jit\": \"c1\", \"rows\": [{\"key\": \"k\", \"kind\": \"aa\"}]}",
            drillFile + "Missing required creator property 'change'"),
        Arguments.of(metadata, "{}", metadataFile + "Missing required creator property 'collected_at'"),
        Arguments.of(metadata, "[]", metadataFile + "Cannot deserialize value of type `org.fmnistbench.results.RunMetadata`"),
        Arguments.of(gate, "{}", gateFile + "Cannot deserialize value of type `java.util.ArrayList"),
        Arguments.of(gate, "[{\"variant\": \"cnn\"}]", gateFile + "Missing required creator property 'tier'"),
        Arguments.of(jmh, "", jmhFile + "it holds nothing"),
        Arguments.of(jmh, "{}", jmhFile + "it holds a JSON object"),
        Arguments.of(jmh, "[{\"benchmark\": \"x.TrainStepBenchmarks.trainStep\"}]",
            jmhFile + "record 1 has no 'benchmark' or no 'primaryMetric' score"),
        Arguments.of(jmh, "[{\"primaryMetric\": {\"score\": 1.0}}]",
            jmhFile + "record 1 has no 'benchmark' or no 'primaryMetric' score"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void refusesWhatIsNotItsFileNamingTheFileAndWhy(Reader reader, String content, String expected) throws IOException {
    Path file = Files.writeString(tmp.resolve("result.json"), content);

    String message = assertThrows(IOException.class, () -> reader.read(file)).getMessage();

    assertTrue(message.startsWith(file + " " + expected), message);
  }
}
