package dev.ironcore.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the command line decides before anything starts: settings, or an exit status with a message. */
class BootOperatorMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private BootOperatorMain.Launch prepare(Map<String, String> env, String... args) {
    return BootOperatorMain.prepare(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void theHelmChartsArgumentsStartTheService() {
    BootOperatorMain.Launch launch = prepare(Map.of("HOSTNAME", "boot-operator-7d9f"), "--ipxe-service-url=http://boot.example:8082", "--leader-elect",
        "--metrics-bind-address=:8443");

    assertThat(launch.settings()).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
    assertThat(launch.settings().ipxeServiceUrl()).isEqualTo("http://boot.example:8082");
    assertThat(launch.settings().leaderElect()).isTrue();
    assertThat(launch.settings().metricsAddress().port()).isEqualTo(8443);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void anUnknownSettingFlagStopsTheStartWithExit2NamingIt() {
    BootOperatorMain.Launch launch = prepare(Map.of(), "--boot.no-such-setting=1");

    assertThat(launch.settings()).isNull();
    assertThat(launch.exitStatus()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("flag provided but not defined: --boot.no-such-setting");
  }

  @Test
  void aBadValueStopsTheStartWithExit2NamingTheSetting() {
    BootOperatorMain.Launch launch = prepare(Map.of(), "--boot-server-address=nowhere");

    assertThat(launch.exitStatus()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("boot.boot-server-address").contains("nowhere");
  }

  @Test
  void anUnknownGoFlagStopsTheStartWithExit2() {
    BootOperatorMain.Launch launch = prepare(Map.of(), "--kubeconfig=/x");

    assertThat(launch.exitStatus()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("flag provided but not defined: -kubeconfig");
  }

  @Test
  void helpPrintsTheFlagsAndStartsNothing() {
    BootOperatorMain.Launch launch = prepare(Map.of(), "--help");

    assertThat(launch.settings()).isNull();
    assertThat(launch.exitStatus()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--leader-elect").contains("--zap-encoder");
  }
}
