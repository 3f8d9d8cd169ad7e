package dev.ironcore.boot.cli;

import dev.ironcore.boot.ignition.butane.ButaneException;
import dev.ironcore.boot.ignition.butane.ButaneTranslator;
import dev.ironcore.boot.ignition.butane.Translation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code boot-operator butane [--strict] [FILE|-]}: Butane in, Ignition JSON out. */
public final class ButaneCommand {

  static final int OK = 0;
  static final int TRANSLATION_ERROR = 1;
  static final int USAGE_ERROR = 2;
  static final String USAGE = """
      Usage: boot-operator butane [--strict] [FILE|-]
      Translates a Butane config (variant fcos, 1.0.0 to 1.7.0) to Ignition JSON on stdout.
      Reads FILE, or stdin when FILE is - or missing.
        --strict  fail on warnings
        --help    show this help""";

  private ButaneCommand() {}

  public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    boolean strict = false;
    String file = null;
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        stdout.println(USAGE);
        return OK;
      } else if (arg.equals("--strict")) {
        strict = true;
      } else if (arg.startsWith("-") && !arg.equals("-") || file != null) {
        stderr.println("butane: unexpected argument " + arg);
        stderr.println(USAGE);
        return USAGE_ERROR;
      } else {
        file = arg;
      }
    }
    return translate(file, strict, stdin, stdout, stderr);
  }

  private static int translate(String file, boolean strict, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    byte[] input;
    try {
      input = file == null || file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      stderr.println("butane: cannot read " + (file == null ? "stdin" : file) + ": " + e.getMessage());
      return TRANSLATION_ERROR;
    }
    try {
      Translation translation = new ButaneTranslator().translate(input);
      translation.warnings().forEach(stderr::println);
      if (strict && !translation.warnings().isEmpty()) {
        stderr.println("butane: config produced warnings and --strict was given");
        return TRANSLATION_ERROR;
      }
      stdout.println(translation.ignitionJson());
      return OK;
    } catch (ButaneException e) {
      stderr.println("butane: " + e.getMessage());
      return TRANSLATION_ERROR;
    }
  }
}
