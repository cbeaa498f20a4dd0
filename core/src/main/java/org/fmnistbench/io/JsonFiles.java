package org.fmnistbench.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How the typed results' readers read their JSON, so that each refuses what is not its file in the
 * same way, naming the file and what it expected: a file cut off, another result's JSON, a field
 * the type marks {@code @JsonProperty(required = true)} missing, or a file holding only
 * {@code null}. Jackson alone returns null for the last and, for a missing field, a record whose
 * component is null, which would fail later, far from the file.
 */
public final class JsonFiles {
  private JsonFiles() {}

  /**
   * {@code file} as a {@code type}.
   *
   * @param what the file as the refusal names it: "a count drill's file"
   * @throws IOException "{@code <file>} is not {@code <what>}: " and why
   */
  public static <T> T read(ObjectMapper mapper, Path file, Class<T> type, String what) throws IOException {
    return read(mapper, file, mapper.constructType(type), what);
  }

  /** {@code file} as a generic {@code type} (a list of records). */
  public static <T> T read(ObjectMapper mapper, Path file, TypeReference<T> type, String what) throws IOException {
    return read(mapper, file, mapper.getTypeFactory().constructType(type), what);
  }

  private static <T> T read(ObjectMapper mapper, Path file, JavaType type, String what) throws IOException {
    T value;
    try {
      value = mapper.readValue(file.toFile(), type);
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not " + what + ": " + e.getOriginalMessage(), e);
    }
    if (value == null) {
      throw new IOException(file + " is not " + what + ": it holds null");
    }
    return value;
  }
}
