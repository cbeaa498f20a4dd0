package org.fmnistbench.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fmnistbench.model.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J array behind the engine contract's {@link Tensor}: DL4J's engines take their own arrays
 * back out of it ({@link #nd4j(Tensor)}), so batches the suite builds in ND4J cross the contract
 * without a copy inside a timed step.
 */
public record Nd4jTensor(INDArray array) implements Tensor {
  @Override
  public long[] shape() {
    return array.shape();
  }

  /**
   * The values in C order. A plain float array's buffer is copied out directly: an ND4J op here
   * would wake ND4J's OpenMP threads, which then spin on the cores another engine (PyTorch) is
   * about to use.
   */
  @Override
  public float[] toFloats() {
    boolean plain = array.dataType() == DataType.FLOAT && array.ordering() == 'c' && !array.isView()
        && array.data().length() == array.length();
    if (plain) {
      return array.data().asFloat();
    }
    return Nd4j.toFlattened('c', array.castTo(DataType.FLOAT)).toFloatVector();
  }

  /** The ND4J array of {@code t}: its own when it holds one, else a new one from its floats. */
  public static INDArray nd4j(Tensor t) {
    return t instanceof Nd4jTensor n ? n.array : Nd4j.create(t.toFloats(), t.shape(), 'c');
  }

  /** Each array of {@code byName} behind the contract, in the same order. */
  public static Map<String, Tensor> wrap(Map<String, INDArray> byName) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    byName.forEach((k, v) -> out.put(k, new Nd4jTensor(v)));
    return out;
  }

  /** Each tensor of {@code byName} as an ND4J array, in the same order. */
  public static Map<String, INDArray> unwrap(Map<String, ? extends Tensor> byName) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    byName.forEach((k, v) -> out.put(k, nd4j(v)));
    return out;
  }
}
