import dev.ironcore.boot.ignition.butane.ButaneTranslator;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Translation time of a typical node config after warm-up. Not a unit test: timing depends on the
 * machine. Run with bench/butane/run.sh from the repository root.
 */
public final class ButaneBench {

  public static void main(String[] args) throws Exception {
    Path input = Path.of(args.length > 0 ? args[0] : "src/test/resources/butane/node.bu");
    byte[] yaml = Files.readAllBytes(input);
    ButaneTranslator translator = new ButaneTranslator();
    long lines = Files.readAllLines(input).size();
    run(translator, yaml, 20_000); // warm-up: let the JIT compile the hot paths
    int rounds = 5;
    int perRound = 5_000;
    for (int round = 1; round <= rounds; round++) {
      long nanos = run(translator, yaml, perRound);
      System.out.printf("round %d: %.3f ms per translation (%d-line config, %d translations)%n",
          round, nanos / 1e6 / perRound, lines, perRound);
    }
  }

  private static long run(ButaneTranslator translator, byte[] yaml, int count) {
    long start = System.nanoTime();
    int sink = 0;
    for (int i = 0; i < count; i++) {
      sink += translator.translate(yaml).ignitionJson().length();
    }
    if (sink == 42) {
      System.out.println(); // keeps the result alive so the loop is not optimised away
    }
    return System.nanoTime() - start;
  }
}
