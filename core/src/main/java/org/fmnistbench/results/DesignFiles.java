package org.fmnistbench.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fmnistbench.io.JsonFiles;

/** Reads an experiment's design file, refusing a folder that is not that experiment's with a line saying so. */
final class DesignFiles {
  private static final ObjectMapper READER = new ObjectMapper();

  private DesignFiles() {}

  /**
   * The design {@code file} in {@code dir} as a {@code type}.
   *
   * @param folder what a folder holding it is, for the error ("a 'BenchDriver interleave' result folder")
   * @param design what the file is, for the error ("an interleaved comparison's design")
   */
  static <T> T read(Path dir, String file, Class<T> type, String folder, String design) throws IOException {
    Path path = dir.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(dir + " has no " + file + ": not " + folder);
    }
    return JsonFiles.read(READER, path, type, design);
  }
}
