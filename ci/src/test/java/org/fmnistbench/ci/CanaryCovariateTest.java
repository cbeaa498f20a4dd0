package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fmnistbench.results.Canary;
import org.junit.jupiter.api.Test;

/**
 * DETECTOR.md's covariate table on rounds whose truth is known: a step that moves with the
 * machine at half the canary's rate has theta 0.5, dividing by the canary (coefficient 1) keeps
 * more variance than the estimated coefficient, and the held-out estimate is close to the
 * in-sample one when the comparisons agree.
 */
class CanaryCovariateTest {
  @Test
  void theEstimatedCoefficientIsTheSlopeOfTheStepOnTheCanary() {
    Random r = new Random(2);
    List<double[]> rounds = new ArrayList<>();
    for (int comparison = 0; comparison < 5; comparison++) {
      for (int i = 0; i < 40; i++) {
        double machine = 0.1 * r.nextGaussian();
        rounds.add(new double[] {comparison, machine, 0.5 * machine + 0.03 * r.nextGaussian()});
      }
    }
    String row = InterleavedCalibration.covariateRow(Canary.COMPUTE, "synthetic", rounds);
    String[] cells = row.split("\\|");
    assertEquals(0.5, Double.parseDouble(cells[5].trim()), 0.065, row); // 3 standard errors of the slope
    double coefficientOne = Double.parseDouble(cells[7].replace("%", "").trim());
    double heldOut = Double.parseDouble(cells[9].replace("%", "").trim());
    assertTrue(heldOut < coefficientOne, "dividing by a canary that moves twice as much as the step adds noise: " + row);
    assertEquals(3.0, heldOut, 0.4, "what is left is the step's own noise, 3 %: " + row);
  }
}
