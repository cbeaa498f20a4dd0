package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility class for DL4J 1.0.0-M2.1's oneDNN check, and nothing else.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} reflectively
 * loads {@code org.nd4j.nativeblas.Nd4jCpu$Environment} and calls {@code isUseMKLDNN()}. In M2.1
 * that class lives at {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the
 * method is {@code isUseONEDNN()}, so the check always fails and the convolution and pooling
 * layers never reach oneDNN. This class answers under the old name by asking the new one.
 *
 * <p>Why it keeps working after a fix: a DL4J that looks up the new name never loads this class;
 * and it delegates by reflection to whichever of the two method names the real class has, so it
 * compiles and runs against any ND4J. Remove it when the suite moves past M2.1 and
 * {@code NativeRuntimeTest} still sees the helpers in use without it.
 */
public final class Nd4jCpu {
  private Nd4jCpu() {}

  /** Stands in for the moved {@code Nd4jCpu.Environment}; only what DL4J's check calls. */
  public static final class Environment {
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    /** Whether libnd4j's oneDNN platform helpers are switched on. */
    public boolean isUseMKLDNN() {
      try {
        Class<?> real = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
        Object env = real.getMethod("getInstance").invoke(null);
        for (String name : new String[] {"isUseONEDNN", "isUseMKLDNN"}) {
          try {
            Method m = real.getMethod(name);
            return (Boolean) m.invoke(env);
          } catch (NoSuchMethodException tryNext) {
            // an older or newer spelling
          }
        }
        return false;
      } catch (ReflectiveOperationException | LinkageError e) {
        return false; // no CPU backend here: no oneDNN either
      }
    }
  }
}
