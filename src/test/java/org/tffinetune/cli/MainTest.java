package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

  @ParameterizedTest
  @ValueSource(strings = {"notebook", "pretrain", "finetune", "evaluate", "summary", "data"})
  void helpExitsZero(String command) {
    CliRun run = CliRun.execute(command, "--help");

    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().startsWith("Usage: finetune " + command), run.toString());
    assertEquals("", run.err());
  }

  @Test
  void topLevelHelpListsTrainingCommands() {
    CliRun run = CliRun.execute("--help");

    assertEquals(0, run.status(), run.toString());
    for (String command :
        new String[] {"notebook", "pretrain", "finetune", "evaluate", "summary"}) {
      assertTrue(run.out().contains("  " + command + " "), command + " missing from\n" + run);
    }
  }

  @Test
  void unknownCommandExitsTwo() {
    CliRun run = CliRun.execute("pretrian");

    assertEquals(2, run.status(), run.toString());
    assertTrue(run.err().contains("pretrian"), run.toString());
  }

  @Test
  void unknownOptionExitsTwo() {
    CliRun run = CliRun.execute("pretrain", "--epoch", "3");

    assertEquals(2, run.status(), run.toString());
    assertTrue(run.err().contains("--epoch"), run.toString());
  }
}
