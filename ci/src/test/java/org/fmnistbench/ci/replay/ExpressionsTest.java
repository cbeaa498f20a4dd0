package org.fmnistbench.ci.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GitHub's documented expression semantics (docs.github.com, "Evaluate expressions in workflows and actions"). */
class ExpressionsTest {
  private static Expressions with(String status) throws Exception {
    ObjectNode c = (ObjectNode) new ObjectMapper().readTree("""
        {"matrix": {"runner": {"name": "cpu", "labels": ["ubuntu-latest"]}, "shard": 2},
         "needs": {"plan": {"result": "success", "outputs": {"runners": "[{\\"name\\":\\"cpu\\"}]"}}},
         "inputs": {"missing": false, "shards": "4"}, "vars": {}}""");
    return new Expressions(c, new Expressions.Runtime() {
      @Override
      public String status() {
        return status;
      }

      @Override
      public String hashFiles(List<String> patterns) {
        return "h(" + String.join(",", patterns) + ")";
      }
    });
  }

  @Test
  void lookupsOperatorsAndFunctionsFollowGitHub() throws Exception {
    Expressions e = with("success");
    assertEquals("cpu", e.interpolate("${{ matrix.runner.name }}"));
    assertEquals("nightly-cpu-2", e.interpolate("nightly-${{ matrix.runner.name }}-${{ matrix.shard }}"));
    assertTrue(e.value("${{ fromJSON(needs.plan.outputs.runners) }}").isArray());
    assertEquals("cpu", e.interpolate("${{ fromJSON(needs.plan.outputs.runners)[0].name }}"));
    // strings compare case-insensitively; a number and its text are equal
    assertTrue(Expressions.truthy(e.evaluate("'ABC' == 'abc'")));
    assertTrue(Expressions.truthy(e.evaluate("inputs.shards == 4")));
    // && and || return an operand, which is how defaults are written
    assertEquals("1", e.interpolate("${{ vars.NIGHTLY_COUNTS || '1' }}"));
    assertEquals("", e.interpolate("${{ vars.NIGHTLY_MAVEN_ARGS }}"));
    assertEquals("a-b", e.interpolate("${{ format('{0}-{1}', 'a', 'b') }}"));
    assertEquals("h(**/pom.xml)", e.interpolate("${{ hashFiles('**/pom.xml') }}"));
    assertTrue(Expressions.truthy(e.evaluate("!inputs.missing")));
    assertTrue(Expressions.truthy(e.evaluate("contains(matrix.runner.labels, 'UBUNTU-latest')")));
  }

  @Test
  void anIfWithoutAStatusFunctionRunsOnlyAfterSuccess() throws Exception {
    assertTrue(with("success").condition("needs.plan.result == 'success'"));
    assertFalse(with("failure").condition("needs.plan.result == 'success'"));
    assertTrue(with("failure").condition("always() && needs.plan.result == 'success'"));
    assertTrue(with("cancelled").condition("${{ always() }}"));
    assertFalse(with("failure").condition(null));
    assertTrue(with("failure").condition("failure()"));
  }

  @Test
  void whatIsNotReplayedIsRefusedByName() throws Exception {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> with("success").evaluate("toLower('x')"));
    assertTrue(ex.getMessage().contains("tolower"), ex.getMessage());
  }
}
