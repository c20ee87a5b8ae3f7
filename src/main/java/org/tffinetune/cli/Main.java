package org.tffinetune.cli;

import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/finetune}. Exit status: 0 on success, 2 for invalid usage or invalid
 * input, 1 for an internal failure.
 */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Transfer learning with TensorFlow Java: train, freeze, fine-tune and serve.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DataCommand.class,
      NotebookCommand.class,
      PretrainCommand.class,
      FinetuneCommand.class,
      EvaluateCommand.class,
      SummaryCommand.class,
      BenchCommand.class,
      PredictCommand.class,
      ServeCommand.class,
      BenchServingCommand.class,
      InspectCommand.class,
      GoldenCommand.class,
      ExperimentCommand.class,
    })
public final class Main implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** Exit status for invalid usage or invalid input. */
  public static final int EXIT_INVALID = 2;

  /** Exit status for an internal failure. */
  public static final int EXIT_FAILURE = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  /** Runs the CLI and exits the JVM with its status. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI with the given arguments and returns the exit status. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::handleException);
    cli.setParameterExceptionHandler(Main::handleParameterException);
    // Sub-commands inherit --version from the root's mixin but not its provider.
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new VersionProvider());
    }
    cli.setErr(new PrintWriter(System.err, true));
    return cli.execute(args);
  }

  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    cli.getErr().println("error: " + e.getMessage());
    cli.getErr()
        .println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for the options.");
    return EXIT_INVALID;
  }

  private static int handleException(
      Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
    if (e instanceof InvalidInputException || e instanceof IllegalArgumentException) {
      cli.getErr().println("error: " + e.getMessage());
      LOG.debug("Invalid input", e);
      return EXIT_INVALID;
    }
    LOG.error("Command failed", e);
    cli.getErr().println("error: internal failure: " + e);
    return EXIT_FAILURE;
  }
}
