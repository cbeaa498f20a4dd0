package org.fmnistbench.results;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * One dump of Callgrind (a {@code callgrind.out} file, one "part"), read into self costs per
 * function: the one reader of that format here. Follows Valgrind's "Callgrind Format
 * Specification": {@code ob=}/{@code fn=} set the object and function that the following cost
 * lines belong to; a {@code calls=} line is followed by the inclusive cost of that call, which is
 * the callee's, not the caller's, and is left out; names may be compressed as {@code (id) name},
 * later {@code (id)}; a cost line is the position columns, then one value per event, trailing
 * zeros omitted.
 *
 * @param events the event names, in the file's order (Ir first; with the cache simulation also
 *     Dr, Dw, I1mr, D1mr, D1mw, ILmr, DLmr, DLmw)
 * @param totals the dump's totals per event, as the file states them
 * @param selfCost each function's own cost per event, keyed by {@link Function}
 */
public record CallgrindProfile(List<String> events, long[] totals, Map<Function, long[]> selfCost) {

  /** Callgrind's name for code outside any mapped file: here JIT-compiled Java, the JVM's interpreter and stubs. */
  public static final String UNKNOWN_OBJECT = "???";
  /**
   * What this reader names generated code that a native library calls (and what that code calls in
   * turn): oneDNN's JIT kernels. Java's generated code is entered from the JVM or from other Java
   * code, never from a native library (an upcall goes through the JVM), so the caller tells the two
   * apart. They are kept apart because they repeat differently: oneDNN's gemm kernels run one of
   * two instruction counts, fixed for a process and differing between processes (COUNTS.md), while
   * Java's code does not.
   */
  public static final String NATIVE_KERNELS_OBJECT = "??? (native libraries' JIT kernels)";

  /**
   * A function as Callgrind names it.
   *
   * @param object the file name of the shared object or executable (no folder), or {@value #UNKNOWN_OBJECT}
   * @param name the (demangled) function name, or an address for generated code
   */
  public record Function(String object, String name) {
    /** Whether the code was generated at run time (JIT-compiled Java, the interpreter, oneDNN's JIT kernels). */
    public boolean generated() {
      return object.equals(UNKNOWN_OBJECT) || object.equals(NATIVE_KERNELS_OBJECT);
    }

    /** Whether this is a native library's own code: neither generated nor the JVM's. */
    boolean nativeLibrary() {
      return CountResults.nativeLibrary(object);
    }
  }

  /** The JVM's own library. */
  public static final String JVM_OBJECT = "libjvm.so";

  public CallgrindProfile {
    events = List.copyOf(events);
    selfCost = Map.copyOf(selfCost);
  }

  /** The total of {@code event}, e.g. "Ir" (instructions executed). */
  public long total(String event) {
    int i = events.indexOf(event);
    if (i < 0) {
      throw new IllegalArgumentException("event " + event + " was not collected; this dump has " + events);
    }
    return totals[i];
  }

  /** Whether the dump holds {@code event}. */
  public boolean has(String event) {
    return events.contains(event);
  }

  /** Self cost of {@code event} summed per object file. */
  public Map<String, Long> byObject(String event) {
    int i = events.indexOf(event);
    Map<String, Long> out = new HashMap<>();
    selfCost.forEach((f, c) -> out.merge(f.object(), i < c.length ? c[i] : 0, Long::sum));
    return out;
  }

  /** Reads a Callgrind output file, gzipped when its name ends in {@code .gz}. */
  public static CallgrindProfile read(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(file.toString().endsWith(".gz")
        ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
      return parse(in, file.toString());
    }
  }

  static CallgrindProfile parse(BufferedReader in, String source) throws IOException {
    List<String> events = null;
    long[] totals = null;
    int positions = 1;
    Map<String, String> objects = new HashMap<>();
    Map<String, String> functions = new HashMap<>();
    Map<Function, long[]> self = new LinkedHashMap<>();
    String object = "";
    String function = "";
    String calleeObject = null;
    String callee = "";
    List<Function[]> calls = new ArrayList<>();
    boolean callCost = false;
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      char first = line.charAt(0);
      if (Character.isDigit(first) || first == '+' || first == '-' || first == '*') {
        if (events == null) {
          throw new IOException(source + ":" + number + ": a cost line before the 'events:' line");
        }
        if (callCost) {
          callCost = false; // the call's inclusive cost: the callee's, counted where the callee is
          continue;
        }
        String[] parts = line.trim().split("\\s+");
        long[] cost = self.computeIfAbsent(new Function(object, function), k -> new long[0]);
        int n = Math.min(events.size(), parts.length - positions);
        if (cost.length < events.size()) {
          cost = Arrays.copyOf(cost, events.size());
          self.put(new Function(object, function), cost);
        }
        for (int e = 0; e < n; e++) {
          cost[e] += parseCount(parts[positions + e], source, number);
        }
        continue;
      }
      int eq = line.indexOf('=');
      int colon = line.indexOf(':');
      if (eq > 0 && (colon < 0 || eq < colon)) {
        String key = line.substring(0, eq);
        String value = line.substring(eq + 1);
        switch (key) {
          case "ob" -> object = fileName(name(value, objects));
          case "fn" -> function = name(value, functions);
          case "cob" -> calleeObject = fileName(name(value, objects));
          case "cfn" -> callee = name(value, functions);
          case "calls" -> {
            callCost = true;
            // a cob= names the callee's object for this call alone; without one it is the caller's
            calls.add(new Function[] {new Function(object, function),
                new Function(calleeObject == null ? object : calleeObject, callee)});
            calleeObject = null;
          }
          default -> { } // fl, fi, fe, cfi, cfl, jump, jcnd: files and jumps, not needed for self cost
        }
        continue;
      }
      if (colon > 0) {
        String key = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        switch (key) {
          case "events" -> events = List.of(value.split("\\s+"));
          case "positions" -> positions = value.split("\\s+").length;
          case "totals", "summary" -> {
            if (events == null) {
              throw new IOException(source + ":" + number + ": '" + key + ":' before 'events:'");
            }
            long[] t = new long[events.size()];
            String[] parts = value.split("\\s+");
            for (int e = 0; e < Math.min(parts.length, t.length); e++) {
              t[e] = parseCount(parts[e], source, number);
            }
            if (totals == null || key.equals("totals")) {
              totals = t;
            }
          }
          default -> { } // version, creator, pid, cmd, part, desc, thread
        }
      }
    }
    if (events == null) {
      throw new IOException(source + ": not a Callgrind output file (no 'events:' line)");
    }
    if (totals == null) {
      totals = new long[events.size()];
      for (long[] c : self.values()) {
        for (int e = 0; e < c.length; e++) {
          totals[e] += c[e];
        }
      }
    }
    return new CallgrindProfile(events, totals, nativeKernelsApart(self, calls));
  }

  /**
   * {@code self} with the generated functions that a native library calls, and those they call in
   * turn, moved to {@link #NATIVE_KERNELS_OBJECT}.
   */
  private static Map<Function, long[]> nativeKernelsApart(Map<Function, long[]> self, List<Function[]> calls) {
    Set<Function> kernels = new HashSet<>();
    for (Function[] c : calls) {
      if (c[0].nativeLibrary() && c[1].object().equals(UNKNOWN_OBJECT)) {
        kernels.add(c[1]);
      }
    }
    for (boolean grew = !kernels.isEmpty(); grew; ) {
      grew = false;
      for (Function[] c : calls) {
        if (kernels.contains(c[0]) && c[1].object().equals(UNKNOWN_OBJECT)) {
          grew |= kernels.add(c[1]);
        }
      }
    }
    if (kernels.isEmpty()) {
      return self;
    }
    Map<Function, long[]> out = new LinkedHashMap<>();
    self.forEach((f, cost) -> out.put(kernels.contains(f) ? new Function(NATIVE_KERNELS_OBJECT, f.name()) : f, cost));
    return out;
  }

  private static long parseCount(String text, String source, int number) throws IOException {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException(source + ":" + number + ": expected a count, got '" + text + "'", e);
    }
  }

  /** Resolves Callgrind's name compression: "(id) name" defines, "(id)" refers back. */
  private static String name(String value, Map<String, String> table) {
    String v = value.trim();
    if (v.startsWith("(")) {
      int close = v.indexOf(')');
      if (close > 0) {
        String id = v.substring(1, close);
        String rest = v.substring(close + 1).trim();
        if (rest.isEmpty()) {
          return table.getOrDefault(id, v);
        }
        table.put(id, rest);
        return rest;
      }
    }
    return v;
  }

  private static String fileName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
