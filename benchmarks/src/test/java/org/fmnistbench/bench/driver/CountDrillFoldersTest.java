package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.fmnistbench.bench.count.InjectedWork;
import org.fmnistbench.bench.count.PointCounter;
import org.junit.jupiter.api.Test;

/**
 * The drill's processes count in folders of their own: SameDiff's mlp inference asks 1 % and 2 %
 * of one native unit each (a unit is 2.2 % of its count), and the two processes, run at once in one
 * folder, deleted each other's dumps (a retry for "dumps missing") or read each other's.
 */
class CountDrillFoldersTest {
  @Test
  void twoSharesOfTheSameUnitsCountInTwoFolders() {
    PointCounter.Spec spec = new PointCounter.Spec("inference", "mlp", "samediff", 32);
    InjectedWork one = new InjectedWork("native", 1);
    Path work = Path.of("/tmp/drill");
    assertNotEquals(CountDrillCommand.injectionFolder(work, spec, one, 0.01),
        CountDrillCommand.injectionFolder(work, spec, one, 0.02));
  }
}
