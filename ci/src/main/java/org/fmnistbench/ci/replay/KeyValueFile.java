package org.fmnistbench.ci.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code $GITHUB_OUTPUT} and {@code $GITHUB_ENV}: {@code name=value} lines and {@code name<<EOF} blocks. */
final class KeyValueFile {
  private KeyValueFile() {}

  static Map<String, String> read(Path file) {
    List<String> lines;
    try {
      lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int heredoc = line.indexOf("<<");
      int eq = line.indexOf('=');
      if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
        String name = line.substring(0, heredoc);
        String delimiter = line.substring(heredoc + 2);
        StringBuilder value = new StringBuilder();
        i++;
        while (i < lines.size() && !lines.get(i).equals(delimiter)) {
          value.append(value.length() == 0 ? "" : "\n").append(lines.get(i));
          i++;
        }
        if (i >= lines.size()) {
          throw new IllegalArgumentException(file + ": " + name + "<<" + delimiter + " has no closing " + delimiter);
        }
        out.put(name, value.toString());
      } else if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1));
      } else if (!line.isBlank()) {
        throw new IllegalArgumentException(file + ": '" + line + "' is neither name=value nor name<<DELIMITER");
      }
    }
    return out;
  }
}
