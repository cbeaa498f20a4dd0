package org.fmnistbench.training;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work (what, how far, rate, ETA) on stderr. On a terminal it redraws one
 * line; elsewhere (CI logs) it prints a line every {@value #LOG_INTERVAL_MS} ms. System
 * property {@code suite.progress=false} silences it.
 */
public final class Progress implements AutoCloseable {
  private static final long LOG_INTERVAL_MS = 30_000;
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** Starts a bar for {@code task} counting {@code total} {@code unit}s. */
  public static Progress start(String task, long total, String unit) {
    if (!enabled()) {
      return new Progress(null);
    }
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setStyle(ProgressBarStyle.ASCII);
    if (System.console() == null) {
      builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println))
          .setUpdateIntervalMillis((int) LOG_INTERVAL_MS);
    }
    return new Progress(builder.build());
  }

  /** One line of a finished step of long work (such as an epoch's figures), unless silenced. */
  public static void report(String line) {
    if (enabled()) {
      System.err.println(line);
    }
  }

  private static boolean enabled() {
    return Boolean.parseBoolean(System.getProperty("suite.progress", "true"));
  }

  public void stepBy(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  public void message(String extra) {
    if (bar != null) {
      bar.setExtraMessage(extra);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
