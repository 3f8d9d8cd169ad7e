package dev.ironcore.boot.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.api.metal.NetworkInterface;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.testing.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each kind says a machine's addresses are, as the index keys them. */
class MachineAddressesTest {
  @Test
  void ipxeSystemIpsInCanonicalTextSkippingWhatIsNoAddress() {
    var config = Fixtures.ipxeConfig("c", "U-1", "k", "i", null);
    config.getSpec().setSystemIPs(Arrays.asList("10.0.0.1", "::FFFF:10.0.0.1", "2001:DB8::0:5", "host.example", null));

    assertThat(MachineAddresses.of(config)).containsExactly("10.0.0.1", "2001:db8::5");
    assertThat(MachineAddresses.keys(config.getSpec().getSystemUUID(), MachineAddresses.of(config)))
        .containsExactly("u-1 10.0.0.1", "u-1 2001:db8::5");
  }

  @Test
  void httpBootIdentifiersGiveTheirIpsNotTheirMacs() {
    var config = Fixtures.httpConfig("h", "u-2", List.of("AA:BB:CC:DD:EE:FF", "10.0.0.2", "aabb.ccdd.eeff"), "u");

    assertThat(MachineAddresses.of(config)).containsExactly("10.0.0.2");
  }

  @Test
  void serverNicsGiveTheirIpsAndTheDeprecatedIp() {
    Server server = Fixtures.server("s", null, null, "Available");
    server.getSpec().setSystemUUID("U-3");
    NetworkInterface old = new NetworkInterface();
    old.setIp("10.0.0.3");
    NetworkInterface current = new NetworkInterface();
    current.setIps(List.of("10.0.0.4", "fd00::4"));
    server.getStatus().setNetworkInterfaces(Arrays.asList(old, null, current));

    assertThat(MachineAddresses.of(server)).containsExactly("10.0.0.3", "10.0.0.4", "fd00::4");
    server.setStatus(null);
    assertThat(MachineAddresses.of(server)).isEmpty();
  }

  @Test
  void anObjectWithoutUuidHasNoKeys() {
    assertThat(MachineAddresses.keys(" ", List.of("10.0.0.1"))).isEmpty();
    assertThat(MachineAddresses.keys(null, List.of("10.0.0.1"))).isEmpty();
  }
}
