package org.fmnistbench.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.fmnistbench.model.Model;

/**
 * The one channel from a profiler to the model a benchmark built. JMH creates profilers in the
 * fork's JVM before the trial's setup and gives them no handle on the benchmark's state, so a
 * profiler that instruments the model (the step profiler) registers a hook here, and the state
 * offers every model it builds. Without a profiler loaded nothing is registered and nothing happens.
 */
public final class ModelHooks {
  private static final Map<String, Consumer<Model>> HOOKS = new ConcurrentHashMap<>();

  private ModelHooks() {}

  /** Registers {@code hook} under {@code name}; a later registration under the same name replaces it. */
  public static void register(String name, Consumer<Model> hook) {
    HOOKS.put(name, hook);
  }

  /** Offers a freshly built model to every registered hook. */
  static void built(Model model) {
    HOOKS.values().forEach(h -> h.accept(model));
  }
}
