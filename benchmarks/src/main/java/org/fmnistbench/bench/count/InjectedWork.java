package org.fmnistbench.bench.count;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * TEST-ONLY: extra work added to every counted operation, for the drill that shows how small a
 * change the counts catch (BenchDriver count-drill). Two realistic kinds, in units whose own
 * instructions the drill counts first, so that an injection of 1, 2 or 5 % is that share of the
 * point's count:
 *
 * <ul>
 *   <li>{@code native}: an extra ND4J op per unit (an in-place add on a minibatch-sized array), as
 *       a change to DL4J that added an op to a step would;
 *   <li>{@code java}: an extra Java-side allocation per unit (a 1,024-float array, filled and
 *       summed), as a change that allocated on the Java side would.
 * </ul>
 *
 * @param kind native, java, or none
 * @param units units per operation
 */
public record InjectedWork(String kind, int units) {
  /** The kinds of work that can be injected (the drill injects each of them by default); before NONE, which checks it. */
  public static final List<String> KINDS = List.of("native", "java");
  public static final InjectedWork NONE = new InjectedWork("none", 0);
  /** Units counted alone to measure one unit's instructions. */
  static final int CALIBRATION_UNITS = 100;
  private static INDArray scratch;
  private static volatile float sink;

  public InjectedWork {
    if (!(kind.equals("none") || KINDS.contains(kind)) || units < 0) {
      throw new IllegalArgumentException("injected work is none, native:<units> or java:<units>, got " + kind + ":" + units);
    }
  }

  /** Parses "none", "native:12", "java:40". */
  public static InjectedWork parse(String spec) {
    if (spec.equals("none")) {
      return NONE;
    }
    String[] p = spec.split(":");
    if (p.length != 2 || !p[1].matches("[0-9]{1,7}")) {
      throw new IllegalArgumentException("injected work is none, native:<units> or java:<units>, got '" + spec + "'");
    }
    return new InjectedWork(p[0], Integer.parseInt(p[1]));
  }

  public String spec() {
    return units == 0 ? "none" : kind + ":" + units;
  }

  /** Does the work. */
  void run(int batchSize) {
    if (kind.equals("native")) {
      if (scratch == null) {
        scratch = Nd4j.zeros(batchSize, 784);
      }
      for (int i = 0; i < units; i++) {
        scratch.addi(1e-7f);
      }
    } else if (kind.equals("java")) {
      float total = 0;
      for (int i = 0; i < units; i++) {
        float[] a = new float[1024];
        for (int j = 0; j < a.length; j++) {
          a[j] = j;
        }
        for (float v : a) {
          total += v;
        }
      }
      sink += total;
    }
  }
}
