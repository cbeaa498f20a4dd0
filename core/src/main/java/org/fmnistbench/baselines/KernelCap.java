package org.fmnistbench.baselines;

import java.util.Optional;

/**
 * The instruction-set cap every recorded CPU row must carry. oneDNN (ND4J's and PyTorch's) and
 * PyTorch's ATen pick their kernels by CPUID whatever native build is loaded, and AVX-512 kernels
 * round differently from AVX2 ones, so rows from mixed machines (a hosted pool lands on both) pool
 * into one band only when both ran the AVX2 kernels. Rows recorded since the cap carry it ({@code
 * ONEDNN_MAX_CPU_ISA=AVX2}, {@code DNNL_MAX_CPU_ISA=AVX2}, {@code ATEN_CPU_CAPABILITY=avx2}; the
 * backend column spells it out), and the workflows set it. The committed DL4J rows recorded
 * before it, on AMD EPYC machines, lack it, and a row does not say whether its CPU had AVX-512
 * (some of this pool's did), so a new row without the cap is refused at the merge, whatever its CPU.
 */
public final class KernelCap {
  static final String ONEDNN = "onednn-max-isa=avx2";
  static final String ATEN = "capability=avx2";

  private KernelCap() {}

  /** Why {@code row} cannot join baselines recorded under the cap; empty when it can. */
  public static Optional<String> problem(AccuracyRecord row) {
    String backend = row.backend() == null ? "" : row.backend();
    boolean dl4jCpu = backend.startsWith("CpuBackend[");
    boolean pytorchCpu = backend.startsWith("PyTorch[") && backend.contains(" cpu");
    if (dl4jCpu && !backend.contains(ONEDNN)) {
      return Optional.of("ran oneDNN uncapped (" + backend + "); record with ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2");
    }
    if (pytorchCpu && !backend.contains(ATEN)) {
      return Optional.of("ran ATen uncapped (" + backend + "); record with ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2");
    }
    return Optional.empty();
  }
}
